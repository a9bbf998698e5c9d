import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
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

const { cases, surveys } = tableAdapters();
const deps = { cases, surveys, clock: systemClock };

/** The case API: list, read, acknowledge, assign, comment, resolve (note, root cause, contact), close, reopen. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(casesRoutes, {
      'GET /v1/cases': async ({ query, actor }) => json(200, await listCases(deps, query, actor)),
      'GET /v1/loop/metrics': async ({ query }) => json(200, await readLoopMetrics(deps, query)),
      'GET /v1/cases/{caseId}': async ({ path }) => json(200, await getCase(deps, path.caseId)),
      'POST /v1/cases/{caseId}/acknowledge': async ({ path, actor }) =>
        json(200, await acknowledgeCase(deps, path.caseId, actor())),
      'POST /v1/cases/{caseId}/resolve': async ({ path, actor, body }) =>
        json(200, await resolveCase(deps, path.caseId, actor(), body)),
      'POST /v1/cases/{caseId}/close': async ({ path, actor }) =>
        json(200, await closeCase(deps, path.caseId, actor())),
      'POST /v1/cases/{caseId}/reopen': async ({ path, actor, body }) =>
        json(200, await reopenCase(deps, path.caseId, actor(), body.reason)),
      'POST /v1/cases/{caseId}/assign': async ({ path, actor, body }) =>
        json(200, await assignCase(deps, path.caseId, actor(), body.assignee)),
      'POST /v1/cases/{caseId}/comments': async ({ path, actor, body }) =>
        json(200, await commentOnCase(deps, path.caseId, actor(), body.text)),
    }),
  );
