import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { visibilityOfCaller } from '#http/admin.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { readEmergingPhrases } from '#insight/use-cases/emerging-phrases.ts';
import { listResponses } from '#insight/use-cases/list-responses.ts';
import { responsesRoutes } from '#routes/responses.ts';

const { surveys, comments, cases, segmentValues, grants, audit } = tableAdapters();
const deps = { surveys, comments, cases, catalogue: segmentValues, clock: systemClock };

/** Responses read back: the comments with their answers. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(
      responsesRoutes,
      {
        'GET /v1/surveys/{surveyId}/responses': async ({ path, query, event }) =>
          json(
            200,
            await listResponses(
              deps,
              { surveyId: path.surveyId, ...query },
              await visibilityOfCaller(grants, event),
            ),
          ),
        'GET /v1/surveys/{surveyId}/phrases': async ({ path, query, event }) =>
          json(
            200,
            await readEmergingPhrases(
              deps,
              { surveyId: path.surveyId, ...query },
              await visibilityOfCaller(grants, event),
            ),
          ),
      },
      { audit },
    ),
  );
