import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { formBody } from '#http/body.ts';
import * as pages from '#http/case-link-outcomes.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { problemErrors } from '#http/problem.ts';
import { FOLLOW_UP_FIELD } from '#loop/rules/recovery.ts';
import {
  acknowledgeByLink,
  checkAcknowledgeLink,
  openFollowUp,
  submitFollowUp,
} from '#loop/use-cases/case-links.ts';
import { caseLinksRoutes } from '#routes/case-links.ts';

const { cases, signingKeys } = tableAdapters();
const deps = { cases, signingKeys, clock: systemClock };
const tokenOf = (event: APIGatewayProxyEventV2) => event.queryStringParameters?.t ?? '';

async function askToAcknowledge(event: APIGatewayProxyEventV2, caseId: string) {
  await checkAcknowledgeLink(deps, caseId, tokenOf(event));
  return pages.acknowledgeQuestionPage(event, caseId, tokenOf(event));
}

async function acknowledge(event: APIGatewayProxyEventV2, caseId: string) {
  const { changed } = await acknowledgeByLink(deps, caseId, tokenOf(event));
  return pages.acknowledgedPage(event, changed);
}

async function showFollowUp(event: APIGatewayProxyEventV2, caseId: string) {
  const shown = await openFollowUp(deps, caseId, tokenOf(event));
  return pages.followUpPage(event, caseId, tokenOf(event), shown);
}

async function receiveFollowUpAnswer(event: APIGatewayProxyEventV2, caseId: string) {
  const form = formBody(event);
  const token = event.queryStringParameters?.t ?? form.get('t') ?? '';
  const outcome = await submitFollowUp(deps, caseId, token, form.get(FOLLOW_UP_FIELD) ?? undefined);
  return pages.answeredFollowUpPage(event, form, { caseId, token }, outcome);
}

/** The signed links of case emails: owners acknowledge, customers answer their follow-up. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError, render: pages.caseLinkProblemPage }))
  .handler(
    dispatch(caseLinksRoutes, {
      'GET /c/{caseId}/acknowledge': async ({ path, event }) => askToAcknowledge(event, path.caseId),
      'POST /c/{caseId}/acknowledge': async ({ path, event }) => acknowledge(event, path.caseId),
      'GET /c/{caseId}/follow-up': async ({ path, event }) => showFollowUp(event, path.caseId),
      'POST /c/{caseId}/follow-up': async ({ path, event }) => receiveFollowUpAnswer(event, path.caseId),
    }),
  );
