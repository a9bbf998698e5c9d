import type { AggregateStore } from '#aggregation/ports.ts';
import { parseSegment } from '#aggregation/rules/report.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { dayOf } from '#kernel/days.ts';
import { NotFoundError } from '#kernel/errors.ts';
import { randomId } from '#kernel/ids.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import type { PlanStore } from '../ports.ts';
import { type ActionPlan, impactRange, type PlanInput, planImpact, validatePlan } from '../rules/plans.ts';

export interface PlanDeps {
  readonly plans: PlanStore;
  readonly surveys: SurveyStore;
  readonly aggregates: AggregateStore;
  readonly clock: Clock;
}

type PlanWriteDeps = Pick<PlanDeps, 'plans' | 'surveys' | 'clock'>;

export async function getPlan(plans: PlanStore, planId: string): Promise<ActionPlan> {
  const plan = await plans.get(planId);
  if (!plan) throw new NotFoundError(`There is no plan "${planId}".`);
  return plan;
}

/** A new plan, with a fresh id, for a segment or a theme of a survey that exists. */
export async function createPlan(deps: PlanWriteDeps, input: PlanInput): Promise<ActionPlan> {
  validatePlan(input, await loadSurvey(deps.surveys, input.surveyId));
  const now = deps.clock.now().toISOString();
  const plan: ActionPlan = { ...input, planId: randomId(10), createdAt: now, updatedAt: now };
  await deps.plans.put(plan);
  return plan;
}

/** Replaces a plan (tasks, status, dates, owner); it keeps its id and creation date. */
export async function updatePlan(deps: PlanWriteDeps, planId: string, input: PlanInput): Promise<ActionPlan> {
  const current = await getPlan(deps.plans, planId);
  validatePlan(input, await loadSurvey(deps.surveys, input.surveyId));
  const plan: ActionPlan = {
    ...input,
    planId,
    createdAt: current.createdAt,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.plans.put(plan);
  return plan;
}

/** The plan and its impact: `days` before its start against `days` since. */
export async function planWithImpact(deps: PlanDeps, planId: string, days: number) {
  const plan = await getPlan(deps.plans, planId);
  const survey = await loadSurvey(deps.surveys, plan.surveyId);
  const range = impactRange(plan, days);
  const counters = await deps.aggregates.readDays(
    survey.id,
    parseSegment(plan.segment),
    range.from,
    range.to,
  );
  const today = dayOf(deps.clock.now());
  return { ...plan, impact: planImpact(plan, survey, counters, today, days) };
}
