import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { formBody } from '#http/body.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { type Problem, problemErrors } from '#http/problem.ts';
import { ConflictError, InvalidStateError, ValidationError } from '#kernel/errors.ts';
import { LOCALES } from '#kernel/survey.ts';
import { CASE_LINK_KEY, caseLinkClaims } from '#loop/rules/case-links.ts';
import { FOLLOW_UP_FIELD, FOLLOW_UP_KEY } from '#loop/rules/recovery.ts';
import { answerFollowUp } from '#loop/use-cases/answer-follow-up.ts';
import { acknowledgeCase } from '#loop/use-cases/case-actions.ts';
import { caseLinksRoutes } from '#routes/case-links.ts';
import { renderAcknowledged, renderAcknowledgePage } from '#views/case-link-pages.ts';
import { renderFollowUpPage, renderFollowUpThanks } from '#views/follow-up.ts';
import { negotiateLocale } from '#views/i18n.ts';
import { renderAlreadyAnswered, renderProblemPage } from '#views/pages.ts';

const { cases, signingKeys } = tableAdapters();

const localeOf = (event: APIGatewayProxyEventV2, fromForm?: string) =>
  negotiateLocale(
    fromForm ?? event.queryStringParameters?.lang,
    event.headers?.['accept-language'],
    LOCALES,
    'en',
  );

const page = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  },
  body,
});

const renderProblem = (problem: Problem, event: APIGatewayProxyEventV2) =>
  page(problem.status, renderProblemPage({ locale: localeOf(event), status: problem.status }));

/**
 * GET and POST /c/{caseId}/follow-up?t=: the customer's one question after their case was resolved. GET shows it
 * (or says it was answered); POST records the answer once. Validation errors come back on the page, answer kept.
 */
async function followUp(event: APIGatewayProxyEventV2, caseId: string) {
  const post = event.requestContext.http.method === 'POST';
  const form = post ? formBody(event) : undefined;
  const token = event.queryStringParameters?.t ?? form?.get('t') ?? '';
  caseLinkClaims(await signingKeys.get(FOLLOW_UP_KEY), token, caseId, systemClock.now());
  const locale = localeOf(event, form?.get('locale') ?? undefined);
  const action = `${event.rawPath}?t=${encodeURIComponent(token)}`;
  if (!form) {
    const c = await cases.get(caseId);
    if (c?.recovery?.status === 'answered') return page(200, renderAlreadyAnswered({ locale }));
    return page(200, renderFollowUpPage({ locale, action, token, caseId }));
  }
  const value = form.get(FOLLOW_UP_FIELD) ?? undefined;
  try {
    const answered = await answerFollowUp({ cases, clock: systemClock }, caseId, value);
    return page(200, renderFollowUpThanks({ locale, recovered: answered.recovery?.recovered === true }));
  } catch (err) {
    // Answered already (a second tap, another device): a friendly page, nothing changed.
    if (err instanceof ConflictError) return page(409, renderAlreadyAnswered({ locale }));
    if (!(err instanceof ValidationError)) throw err;
    const code = err.errors[0]?.code ?? 'default';
    return page(400, renderFollowUpPage({ locale, action, token, caseId, error: code, value }));
  }
}

/**
 * GET and POST /c/{caseId}/acknowledge?t=: the one-click acknowledge link of alert and escalation emails. GET asks
 * (mail scanners follow links); POST acknowledges in the name of the person the link was sent to.
 */
async function acknowledgeLink(event: APIGatewayProxyEventV2, caseId: string) {
  const token = event.queryStringParameters?.t ?? '';
  const claims = caseLinkClaims(
    await signingKeys.get(CASE_LINK_KEY),
    token,
    caseId,
    systemClock.now(),
    'This link has expired; acknowledge the case in Pulso.',
  );
  const locale = localeOf(event);
  if (event.requestContext.http.method !== 'POST') {
    const action = `${event.rawPath}?t=${encodeURIComponent(token)}`;
    return page(200, renderAcknowledgePage({ locale, action, caseId }));
  }
  try {
    await acknowledgeCase({ cases, clock: systemClock }, caseId, `${claims.actor} (email link)`);
    return page(200, renderAcknowledged({ locale, changed: true }));
  } catch (err) {
    // Already acknowledged (by this link, the API, or someone else): a friendly page, nothing changed.
    if (err instanceof InvalidStateError) return page(200, renderAcknowledged({ locale, changed: false }));
    throw err;
  }
}

/** The signed links of case emails: owners acknowledge, customers answer their follow-up. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError, render: renderProblem }))
  .handler(
    dispatch(caseLinksRoutes, {
      'GET /c/{caseId}/acknowledge': async ({ path, event }) => acknowledgeLink(event, path.caseId),
      'POST /c/{caseId}/acknowledge': async ({ path, event }) => acknowledgeLink(event, path.caseId),
      'GET /c/{caseId}/follow-up': async ({ path, event }) => followUp(event, path.caseId),
      'POST /c/{caseId}/follow-up': async ({ path, event }) => followUp(event, path.caseId),
    }),
  );
