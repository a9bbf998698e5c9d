import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { readMetrics } from '#aggregation/use-cases/read-metrics.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { metricsRoutes } from '#routes/metrics.ts';

const { surveys, aggregates } = tableAdapters();
const deps = { surveys, aggregates, clock: systemClock };

/** GET /v1/surveys/{surveyId}/metrics?window=7d|30d|90d&segment=key:value */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(metricsRoutes, {
      'GET /v1/surveys/{surveyId}/metrics': async ({ path, query }) =>
        json(200, await readMetrics(deps, { surveyId: path.surveyId, ...query })),
    }),
  );
