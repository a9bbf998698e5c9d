import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { responseInputSchema } from '#capture/rules/response.ts';
import { recordResponse } from '#capture/use-cases/record-response.ts';
import { jsonBody } from '#http/body.ts';
import { logError, logger } from '#http/logger.ts';
import { problemErrors, recorded } from '#http/problem.ts';

const { surveys, responses } = tableAdapters();

/** POST /v1/responses: apps and kiosks. The same submissionId again answers the same, and counts nothing. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(async (event) => {
    const input = jsonBody(event, responseInputSchema);
    const result = await recordResponse(
      { surveys, responses, clock: systemClock },
      { ...input, capturedVia: 'api' },
    );
    return recorded(result);
  });
