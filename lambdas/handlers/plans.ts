import { randomBytes } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { parseSegment } from '#aggregation/rules/report.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { jsonBody } from '#http/body.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { NotFoundError } from '#kernel/errors.ts';
import * as z from '#kernel/zod.ts';
import {
  type ActionPlan,
  impactRange,
  planImpact,
  planInputSchema,
  validatePlan,
} from '#loop/rules/plans.ts';

const { surveys, aggregates, plans } = tableAdapters();
const impactQuery = z.strictObject({
  /** Days compared on each side of the start. */
  days: z._default(z.coerce.number().check(z.int(), z.gte(7), z.lte(180)), 30),
});
const newPlanId = () =>
  Array.from(randomBytes(10), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');

async function withImpact(plan: ActionPlan, days: number) {
  const survey = await loadSurvey(surveys, plan.surveyId);
  const range = impactRange(plan, days);
  const counters = await aggregates.readDays(survey.id, parseSegment(plan.segment), range.from, range.to);
  const today = systemClock.now().toISOString().slice(0, 10);
  return { ...plan, impact: planImpact(plan, survey, counters, today, days) };
}

/** Action plans: create, list, read with their measured impact, update (tasks, dates, owner). */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(async (event) => {
    const planId = event.pathParameters?.planId ?? '';
    const load = async () => {
      const plan = await plans.get(planId);
      if (!plan) throw new NotFoundError(`There is no plan "${planId}".`);
      return plan;
    };
    switch (event.routeKey) {
      case 'POST /v1/plans': {
        const input = jsonBody(event, planInputSchema);
        validatePlan(input, await loadSurvey(surveys, input.surveyId));
        const now = systemClock.now().toISOString();
        const plan: ActionPlan = { ...input, planId: newPlanId(), createdAt: now, updatedAt: now };
        await plans.put(plan);
        return json(201, plan, { location: `/v1/plans/${plan.planId}` });
      }
      case 'GET /v1/plans':
        return json(200, { items: await plans.list() });
      case 'GET /v1/plans/{planId}': {
        const { days } = impactQuery.parse(event.queryStringParameters ?? {});
        return json(200, await withImpact(await load(), days));
      }
      case 'PUT /v1/plans/{planId}': {
        const current = await load();
        const input = jsonBody(event, planInputSchema);
        validatePlan(input, await loadSurvey(surveys, input.surveyId));
        const plan: ActionPlan = {
          ...input,
          planId,
          createdAt: current.createdAt,
          updatedAt: systemClock.now().toISOString(),
        };
        await plans.put(plan);
        return json(200, plan);
      }
      default:
        throw new NotFoundError(`No route ${event.routeKey}.`);
    }
  });
