import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { z } from 'zod';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { acknowledgeCase, getCase, resolveCase } from '#domain/case-actions.ts';
import { NotFoundError } from '#domain/errors.ts';
import { actorOf } from '../http/admin.ts';
import { jsonBody } from '../http/body.ts';
import { logError, logger } from '../http/logger.ts';
import { json, problemErrors } from '../http/problem.ts';

const { cases } = tableAdapters();
const deps = { cases, clock: systemClock };

const listQuery = z.object({
  surveyId: z.string().max(64).optional(),
  status: z.enum(['open', 'acknowledged', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2000).optional(),
});
const resolveBody = z.strictObject({ note: z.string().max(5000) });

/** The case API: list, read, acknowledge, resolve (with a note). */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(async (event) => {
    const caseId = event.pathParameters?.caseId ?? '';
    switch (event.routeKey) {
      case 'GET /v1/cases':
        return json(200, await cases.list(listQuery.parse(event.queryStringParameters ?? {})));
      case 'GET /v1/cases/{caseId}':
        return json(200, await getCase(deps, caseId));
      case 'POST /v1/cases/{caseId}/acknowledge':
        return json(200, await acknowledgeCase(deps, caseId, actorOf(event)));
      case 'POST /v1/cases/{caseId}/resolve': {
        const { note } = jsonBody(event, resolveBody);
        return json(200, await resolveCase(deps, caseId, actorOf(event), note));
      }
      default:
        throw new NotFoundError(`No route ${event.routeKey}.`);
    }
  });
