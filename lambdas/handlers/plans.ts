import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { mayCall, visibilityOfCaller } from '#http/admin.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import type { ActionPlan } from '#loop/rules/plans.ts';
import { createPlan, listPlans, planWithImpact, updatePlan } from '#loop/use-cases/plans.ts';
import { plansRoutes } from '#routes/plans.ts';

const { surveys, aggregates, plans, segmentValues, grants, audit } = tableAdapters();
const shared = { surveys, aggregates, plans, catalogue: segmentValues, clock: systemClock };
/** The deps of one request: the places the caller may see, from the grants as they are now. */
const depsOf = async (event: APIGatewayProxyEventV2) => ({
  ...shared,
  visibility: await visibilityOfCaller(grants, event),
});

/**
 * A plan as the caller may read it: who owns it and its tasks (people's emails) only for those who work on plans;
 * a viewer reads what is done and its impact.
 */
function asSeenBy<P extends ActionPlan>(event: APIGatewayProxyEventV2, plan: P) {
  if (mayCall(event, 'pulso/plans.write')) return plan;
  const { owner: _, ...rest } = plan;
  return { ...rest, tasks: plan.tasks.map(({ owner: _o, ...task }) => task) };
}

/** Action plans: create, list, read with their measured impact, update (tasks, dates, owner). */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(
      plansRoutes,
      {
        'POST /v1/plans': async ({ body, event }) => {
          const plan = await createPlan(await depsOf(event), body);
          return json(201, plan, { location: `/v1/plans/${plan.planId}` });
        },
        'GET /v1/plans': async ({ event }) =>
          json(200, { items: (await listPlans(await depsOf(event))).map((p) => asSeenBy(event, p)) }),
        'GET /v1/plans/{planId}': async ({ path, query, event }) =>
          json(200, asSeenBy(event, await planWithImpact(await depsOf(event), path.planId, query.days))),
        'PUT /v1/plans/{planId}': async ({ path, body, event }) =>
          json(200, await updatePlan(await depsOf(event), path.planId, body)),
      },
      { audit },
    ),
  );
