import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { formBody } from '#http/body.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { linkAction, pageLocale as localeOf, htmlPage as page } from '#http/pages.ts';
import { type Problem, problemErrors } from '#http/problem.ts';
import { FOLLOW_UP_FIELD } from '#loop/rules/recovery.ts';
import {
  acknowledgeByLink,
  checkAcknowledgeLink,
  openFollowUp,
  submitFollowUp,
} from '#loop/use-cases/case-links.ts';
import { caseLinksRoutes } from '#routes/case-links.ts';
import { renderAcknowledged, renderAcknowledgePage } from '#views/case-link-pages.ts';
import { renderFollowUpPage, renderFollowUpThanks } from '#views/follow-up.ts';
import { renderAlreadyAnswered, renderProblemPage } from '#views/pages.ts';

const { cases, signingKeys } = tableAdapters();
const deps = { cases, signingKeys, clock: systemClock };

const renderProblem = (problem: Problem, event: APIGatewayProxyEventV2) =>
  page(problem.status, renderProblemPage({ locale: localeOf(event), status: problem.status }));

/** GET and POST /c/{caseId}/follow-up?t=: the customer's one question after their case was resolved. */
async function followUp(event: APIGatewayProxyEventV2, caseId: string) {
  const form = event.requestContext.http.method === 'POST' ? formBody(event) : undefined;
  const token = event.queryStringParameters?.t ?? form?.get('t') ?? '';
  if (!form) {
    const shown = await openFollowUp(deps, caseId, token);
    const locale = localeOf(event);
    if (shown === 'answered') return page(200, renderAlreadyAnswered({ locale }));
    return page(200, renderFollowUpPage({ locale, action: linkAction(event, token), token, caseId }));
  }
  const value = form.get(FOLLOW_UP_FIELD) ?? undefined;
  const outcome = await submitFollowUp(deps, caseId, token, value);
  const locale = localeOf(event, form.get('locale') ?? undefined);
  if (outcome.status === 'answered') return page(409, renderAlreadyAnswered({ locale }));
  if (outcome.status === 'thanks')
    return page(200, renderFollowUpThanks({ locale, recovered: outcome.recovered }));
  const action = linkAction(event, token);
  return page(400, renderFollowUpPage({ locale, action, token, caseId, error: outcome.code, value }));
}

/** GET and POST /c/{caseId}/acknowledge?t=: GET asks (mail scanners follow links); POST acknowledges. */
async function acknowledgeLink(event: APIGatewayProxyEventV2, caseId: string) {
  const token = event.queryStringParameters?.t ?? '';
  if (event.requestContext.http.method !== 'POST') {
    await checkAcknowledgeLink(deps, caseId, token);
    return page(
      200,
      renderAcknowledgePage({ locale: localeOf(event), action: linkAction(event, token), caseId }),
    );
  }
  const { changed } = await acknowledgeByLink(deps, caseId, token);
  return page(200, renderAcknowledged({ locale: localeOf(event), changed }));
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
