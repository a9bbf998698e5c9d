import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { visibilityOfCaller } from '#http/admin.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import {
  acknowledgeCase,
  assignCase,
  closeCase,
  commentOnCase,
  getCase,
  listCases,
  reopenCase,
  resolveCase,
} from '#loop/use-cases/case-actions.ts';
import { readLoopMetrics } from '#loop/use-cases/loop-metrics.ts';
import { casesRoutes } from '#routes/cases.ts';

const { cases, surveys, grants, audit } = tableAdapters();
const shared = { cases, surveys, clock: systemClock };
/** The deps of one request: the places the caller may see, from the grants as they are now. */
const depsOf = async (event: APIGatewayProxyEventV2) => ({
  ...shared,
  visibility: await visibilityOfCaller(grants, event),
});

/** The case API: list, read, acknowledge, assign, comment, resolve (note, root cause, contact), close, reopen. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(
      casesRoutes,
      {
        'GET /v1/cases': async ({ query, actor, event }) =>
          json(200, await listCases(await depsOf(event), query, actor)),
        'GET /v1/loop/metrics': async ({ query, event }) =>
          json(200, await readLoopMetrics(await depsOf(event), query)),
        'GET /v1/cases/{caseId}': async ({ path, event }) =>
          json(200, await getCase(await depsOf(event), path.caseId)),
        'POST /v1/cases/{caseId}/acknowledge': async ({ path, actor, event }) =>
          json(200, await acknowledgeCase(await depsOf(event), path.caseId, actor())),
        'POST /v1/cases/{caseId}/resolve': async ({ path, actor, body, event }) =>
          json(200, await resolveCase(await depsOf(event), path.caseId, actor(), body)),
        'POST /v1/cases/{caseId}/close': async ({ path, actor, event }) =>
          json(200, await closeCase(await depsOf(event), path.caseId, actor())),
        'POST /v1/cases/{caseId}/reopen': async ({ path, actor, body, event }) =>
          json(200, await reopenCase(await depsOf(event), path.caseId, actor(), body.reason)),
        'POST /v1/cases/{caseId}/assign': async ({ path, actor, body, event }) =>
          json(200, await assignCase(await depsOf(event), path.caseId, actor(), body.assignee)),
        'POST /v1/cases/{caseId}/comments': async ({ path, actor, body, event }) =>
          json(200, await commentOnCase(await depsOf(event), path.caseId, actor(), body.text)),
      },
      { audit },
    ),
  );
