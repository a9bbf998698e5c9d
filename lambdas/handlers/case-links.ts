import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { acknowledgeCase } from '#domain/case-actions.ts';
import { CASE_LINK_KEY, verifyCaseLink } from '#domain/case-links.ts';
import { ForbiddenError, GoneError, InvalidStateError } from '#domain/errors.ts';
import { LOCALES } from '#domain/survey.ts';
import { logError, logger } from '../http/logger.ts';
import { type Problem, problemErrors } from '../http/problem.ts';
import { renderAcknowledged, renderAcknowledgePage } from '../views/case-link-pages.ts';
import { negotiateLocale } from '../views/i18n.ts';
import { renderProblemPage } from '../views/pages.ts';

const { cases, signingKeys } = tableAdapters();

const localeOf = (event: APIGatewayProxyEventV2) =>
  negotiateLocale(event.queryStringParameters?.lang, event.headers?.['accept-language'], LOCALES, 'en');

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
 * GET and POST /c/{caseId}/acknowledge?t=: the one-click acknowledge link of alert and escalation emails. GET asks
 * (mail scanners follow links); POST acknowledges in the name of the person the link was sent to.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError, render: renderProblem }))
  .handler(async (event) => {
    const caseId = event.pathParameters?.caseId ?? '';
    const token = event.queryStringParameters?.t ?? '';
    const now = systemClock.now();
    const check = verifyCaseLink(await signingKeys.get(CASE_LINK_KEY), token, caseId, now);
    if (!check.ok) {
      if (check.reason === 'expired')
        throw new GoneError('This link has expired; acknowledge the case in Pulso.');
      throw new ForbiddenError(`This link is not valid (${check.reason}).`);
    }
    const locale = localeOf(event);
    if (event.requestContext.http.method !== 'POST') {
      const action = `${event.rawPath}?t=${encodeURIComponent(token)}`;
      return page(200, renderAcknowledgePage({ locale, action, caseId }));
    }
    try {
      await acknowledgeCase({ cases, clock: systemClock }, caseId, `${check.claims.actor} (email link)`);
      return page(200, renderAcknowledged({ locale, changed: true }));
    } catch (err) {
      // Already acknowledged (by this link, the API, or someone else): a friendly page, nothing changed.
      if (err instanceof InvalidStateError) return page(200, renderAcknowledged({ locale, changed: false }));
      throw err;
    }
  });
