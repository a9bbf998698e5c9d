import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { WINDOWS } from '#aggregation/rules/report.ts';
import { readMetrics } from '#aggregation/use-cases/read-metrics.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import * as z from '#kernel/zod.ts';

const { surveys, aggregates } = tableAdapters();

const querySchema = z.object({
  window: z._default(z.enum(Object.keys(WINDOWS) as [keyof typeof WINDOWS]), '7d'),
  segment: z.optional(z.string().check(z.maxLength(300))),
});

/** GET /v1/surveys/{surveyId}/metrics?window=7d|30d|90d&segment=key:value */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(async (event) => {
    const query = querySchema.parse(event.queryStringParameters ?? {});
    const report = await readMetrics(
      { surveys, aggregates, clock: systemClock },
      { surveyId: event.pathParameters?.surveyId ?? '', ...query },
    );
    return json(200, report);
  });
