import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { createPlan, planWithImpact, updatePlan } from '#loop/use-cases/plans.ts';
import { plansRoutes } from '#routes/plans.ts';

const { surveys, aggregates, plans } = tableAdapters();
const deps = { surveys, aggregates, plans, clock: systemClock };

/** Action plans: create, list, read with their measured impact, update (tasks, dates, owner). */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(plansRoutes, {
      'POST /v1/plans': async ({ body }) => {
        const plan = await createPlan(deps, body);
        return json(201, plan, { location: `/v1/plans/${plan.planId}` });
      },
      'GET /v1/plans': async () => json(200, { items: await plans.list() }),
      'GET /v1/plans/{planId}': async ({ path, query }) =>
        json(200, await planWithImpact(deps, path.planId, query.days)),
      'PUT /v1/plans/{planId}': async ({ path, body }) =>
        json(200, await updatePlan(deps, path.planId, body)),
    }),
  );
