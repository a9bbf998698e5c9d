import { planImpactQuery, planInputSchema } from '#loop/rules/plans.ts';
import { defineRoutes } from './route.ts';

const read = { jwt: 'pulso/plans.read' } as const;
const write = { jwt: 'pulso/plans.write' } as const;
const plan = { json: planInputSchema, component: 'PlanInput' } as const;

/** Action plans and their measured impact (the plans function). */
export const plansRoutes = defineRoutes({
  'GET /v1/plans': {
    summary: 'The action plans',
    auth: read,
    responses: { 200: '{ items }' },
    problems: [401],
  },
  'POST /v1/plans': {
    summary: 'Create an action plan for a segment or a theme',
    auth: write,
    body: plan,
    responses: { 201: 'The plan, with its planId' },
    problems: [400, 401, 404, 415],
  },
  'GET /v1/plans/{planId}': {
    summary:
      'The plan and its impact: the figure before and since its start, and the change, each with a 95% interval',
    auth: read,
    query: planImpactQuery,
    responses: { 200: 'The plan with impact' },
    problems: [400, 401, 404],
  },
  'PUT /v1/plans/{planId}': {
    summary: 'Replace the plan (tasks, status, dates, owner)',
    auth: write,
    body: plan,
    responses: { 200: 'The plan' },
    problems: [400, 401, 404, 415],
  },
});
