import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerRole } from '#http/admin.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { accessRoutes } from '#routes/access.ts';

/** Who the caller is to Pulso: their role, from their token's groups claim. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(accessRoutes, {
      'GET /v1/me': async ({ actor, event }) =>
        json(200, { actor: actor(), role: callerRole(event) ?? null }),
    }),
  );
