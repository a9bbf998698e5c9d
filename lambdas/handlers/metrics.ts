import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { readMetrics } from '#aggregation/use-cases/read-metrics.ts';
import { listSegmentValues, readSegments } from '#aggregation/use-cases/read-segments.ts';
import { visibilityOfCaller } from '#http/admin.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { metricsRoutes } from '#routes/metrics.ts';

const { surveys, aggregates, segmentValues, grants } = tableAdapters();
const deps = { surveys, aggregates, catalogue: segmentValues, clock: systemClock };
/** The places the caller may see, from the grants as they are now. */
const visibility = (event: APIGatewayProxyEventV2) => visibilityOfCaller(grants, event);

/** The figures of a survey: rolling metrics, and the league table of its segments. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(metricsRoutes, {
      'GET /v1/surveys/{surveyId}/metrics': async ({ path, query, event }) =>
        json(200, await readMetrics(deps, { surveyId: path.surveyId, ...query }, await visibility(event))),
      'GET /v1/surveys/{surveyId}/segments': async ({ path, query, event }) =>
        json(200, await readSegments(deps, { surveyId: path.surveyId, ...query }, await visibility(event))),
      'GET /v1/surveys/{surveyId}/segment-values': async ({ path, query, event }) =>
        json(
          200,
          await listSegmentValues(deps, { surveyId: path.surveyId, key: query.key }, await visibility(event)),
        ),
    }),
  );
