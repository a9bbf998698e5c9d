import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { commentAnalyzer, systemClock, tableAdapters } from '#adapters/runtime.ts';
import { recordResponse } from '#capture/use-cases/record-response.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { problemErrors, recorded } from '#http/problem.ts';
import { submitResponseRoutes } from '#routes/submit-response.ts';

const { surveys, responses } = tableAdapters();
const deps = { surveys, responses, analyzer: commentAnalyzer(), clock: systemClock };

/** POST /v1/responses: apps and kiosks. The same submissionId again answers the same, and counts nothing. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(submitResponseRoutes, {
      'POST /v1/responses': async ({ body }) =>
        recorded(await recordResponse(deps, { ...body, capturedVia: 'api' })),
    }),
  );
