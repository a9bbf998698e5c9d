import type { AggregateStore, SegmentCatalogue } from '#aggregation/ports.ts';
import { parseSegment } from '#aggregation/rules/report.ts';
import { placeSight } from '#aggregation/use-cases/read-segments.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { dayOf } from '#kernel/days.ts';
import { NotFoundError, RefusedError } from '#kernel/errors.ts';
import { randomId } from '#kernel/ids.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import { SEES_ALL, type Visibility } from '#kernel/visibility.ts';
import type { PlanStore } from '../ports.ts';
import { type ActionPlan, impactRange, type PlanInput, planImpact, validatePlan } from '../rules/plans.ts';

export interface PlanDeps {
  readonly plans: PlanStore;
  readonly surveys: SurveyStore;
  readonly aggregates: AggregateStore;
  readonly clock: Clock;
  /** With `visibility`: the survey's places, to tell whether a plan's segment is one of the caller's. */
  readonly catalogue?: SegmentCatalogue;
  /**
   * The places the caller may see: a plan of another place, or of the whole survey, is no plan to them (404), and
   * they may make plans only for their places (403). @default every place
   */
  readonly visibility?: Visibility;
}

type PlanWriteDeps = Pick<PlanDeps, 'plans' | 'surveys' | 'clock' | 'catalogue' | 'visibility'>;
type PlanReadDeps = Pick<PlanDeps, 'plans' | 'catalogue' | 'visibility'>;

/** Whether the caller sees plans of these segments, by survey (one catalogue read per survey). */
function planSight(deps: Pick<PlanDeps, 'catalogue' | 'visibility'>) {
  const sights = new Map<string, ReturnType<typeof placeSight>>();
  return async (surveyId: string, segment: string): Promise<boolean> => {
    const sight = sights.get(surveyId) ?? placeSight(deps.catalogue, surveyId, deps.visibility ?? SEES_ALL);
    sights.set(surveyId, sight);
    return (await sight)(parseSegment(segment));
  };
}

export async function getPlan(deps: PlanReadDeps, planId: string): Promise<ActionPlan> {
  const plan = await deps.plans.get(planId);
  if (!plan || !(await planSight(deps)(plan.surveyId, plan.segment)))
    throw new NotFoundError(`There is no plan "${planId}".`);
  return plan;
}

/** The plans the caller may see. */
export async function listPlans(deps: PlanReadDeps): Promise<ActionPlan[]> {
  const sight = planSight(deps);
  const plans = await deps.plans.list();
  const seen = await Promise.all(plans.map((p) => sight(p.surveyId, p.segment)));
  return plans.filter((_, i) => seen[i]);
}

async function checkPlanPlace(deps: PlanWriteDeps, input: PlanInput): Promise<void> {
  if (!(await planSight(deps)(input.surveyId, input.segment)))
    throw new RefusedError(
      `Your grants do not cover ${input.segment}: make the plan for one of your places.`,
    );
}

/** A new plan, with a fresh id, for a segment or a theme of a survey that exists. */
export async function createPlan(deps: PlanWriteDeps, input: PlanInput): Promise<ActionPlan> {
  validatePlan(input, await loadSurvey(deps.surveys, input.surveyId));
  await checkPlanPlace(deps, input);
  const now = deps.clock.now().toISOString();
  const plan: ActionPlan = { ...input, planId: randomId(10), createdAt: now, updatedAt: now };
  await deps.plans.put(plan);
  return plan;
}

/** Replaces a plan (tasks, status, dates, owner); it keeps its id and creation date. */
export async function updatePlan(deps: PlanWriteDeps, planId: string, input: PlanInput): Promise<ActionPlan> {
  const current = await getPlan(deps, planId);
  validatePlan(input, await loadSurvey(deps.surveys, input.surveyId));
  await checkPlanPlace(deps, input);
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
  const plan = await getPlan(deps, planId);
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
