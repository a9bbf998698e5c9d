import { type DayCounters, histogramOf } from '#aggregation/rules/report.ts';
import { DAY_MS, dayOf } from '#kernel/days.ts';
import { NotFoundError, ValidationError } from '#kernel/errors.ts';
import { changeBetween, estimateOf, figureRange, type Interval } from '#kernel/metrics.ts';
import { type Survey, scoredQuestions } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';

/**
 * Action plans: an improvement plan for a segment (a store, a region) or a theme, with an owner, a due date and
 * tasks. Pulso measures its impact itself: the plan's figure (NPS, CSAT or CES of one question) in the days before
 * its start and in the days since, each with its interval, and the change with its own 95% interval.
 */
const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'));
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

export const TASK_STATUSES = ['todo', 'doing', 'done'] as const;

export const planInputSchema = z.strictObject({
  title: text(200),
  surveyId: z.string().check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/, 'a survey id')),
  /** `key:value` (`store:s-001`), or `all`. */
  segment: z._default(
    z.string().check(z.regex(/^(all|[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}:[^\p{Cc}]{1,200})$/u)),
    'all',
  ),
  /** What the plan is about, e.g. a root-cause category (`waiting-time`). */
  theme: z.optional(text(100)),
  owner: z.email().check(z.maxLength(254)),
  /** The scored question whose figure the plan should move. @default the survey's first NPS (else first scored) */
  questionId: z.optional(text(64)),
  startDate: day,
  dueDate: day,
  tasks: z._default(
    z
      .array(
        z.strictObject({
          title: text(300),
          status: z._default(z.enum(TASK_STATUSES), 'todo'),
          owner: z.optional(z.email().check(z.maxLength(254))),
          dueDate: z.optional(day),
        }),
      )
      .check(z.maxLength(50)),
    [],
  ),
});
export type PlanInput = z.output<typeof planInputSchema>;

export interface ActionPlan extends PlanInput {
  readonly planId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Checks what the schema cannot: dates in order, and a scored question of the survey. */
export function validatePlan(input: PlanInput, survey: Survey): void {
  const errors = [];
  if (input.dueDate < input.startDate)
    errors.push({ field: 'dueDate', code: 'before_start', message: 'the due date is before the start' });
  const question = questionOf(input, survey);
  if (!question)
    errors.push({ field: 'questionId', code: 'not_scored', message: 'not a scored question of the survey' });
  if (errors.length > 0) throw new ValidationError('The plan does not hold together.', errors);
}

function questionOf(input: Pick<PlanInput, 'questionId'>, survey: Survey) {
  const scored = scoredQuestions(survey);
  if (input.questionId !== undefined) return scored.find((q) => q.id === input.questionId);
  return scored.find((q) => q.type === 'nps') ?? scored[0];
}

export interface PeriodFigure {
  readonly from: string;
  readonly to: string;
  readonly n: number;
  /** NPS (-100..100), CSAT % or CES mean, on the question's own scale. */
  readonly score: number | null;
  readonly ci95: Interval | null;
}

export interface PlanImpact {
  readonly questionId: string;
  readonly type: 'nps' | 'csat' | 'ces';
  readonly before: PeriodFigure;
  readonly after: PeriodFigure;
  /** after - before, with its 95% interval; null until both periods have answers. */
  readonly change: { readonly value: number; readonly ci95: Interval } | null;
  /** True when the interval of the change is clear of zero. */
  readonly significant: boolean;
  /** Where the figure can be (CES on its own 5- or 7-point scale): the chart's axis. */
  readonly range: { readonly min: number; readonly max: number };
  readonly progress: { readonly done: number; readonly tasks: number };
}

const addDays = (d: string, n: number) => dayOf(new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY_MS));
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The plan's figure in the `periodDays` before its start and from its start to today (at most `periodDays`),
 * read from the segment's daily aggregates.
 */
export function planImpact(
  plan: ActionPlan,
  survey: Survey,
  days: readonly DayCounters[],
  today: string,
  periodDays: number,
): PlanImpact {
  const q = questionOf(plan, survey);
  if (!q) throw new NotFoundError(`The survey no longer has the plan's question "${plan.questionId}".`);
  const before = { from: addDays(plan.startDate, -periodDays), to: addDays(plan.startDate, -1) };
  const afterTo = [addDays(plan.startDate, periodDays - 1), today].sort()[0] as string;
  const after = { from: plan.startDate, to: afterTo < plan.startDate ? plan.startDate : afterTo };
  const b = estimateOf(q, histogramOf(days, q.id, before.from, before.to));
  const a = estimateOf(q, histogramOf(days, q.id, after.from, after.to));
  const digits = q.type === 'ces' ? 2 : 1;
  const raw = changeBetween(a, b);
  const change: PlanImpact['change'] = raw && {
    value: round(raw.value, digits),
    ci95: { low: round(raw.ci95.low, digits), high: round(raw.ci95.high, digits) },
  };
  return {
    questionId: q.id,
    type: q.type,
    before: { ...before, n: b.n, score: b.score, ci95: b.ci95 },
    after: { ...after, n: a.n, score: a.score, ci95: a.ci95 },
    change,
    significant: change !== null && (change.ci95.low > 0 || change.ci95.high < 0),
    range: figureRange(q),
    progress: { done: plan.tasks.filter((t) => t.status === 'done').length, tasks: plan.tasks.length },
  };
}

/** The range of days the impact reads, for the aggregate query. */
export function impactRange(plan: Pick<ActionPlan, 'startDate'>, periodDays: number) {
  return { from: addDays(plan.startDate, -periodDays), to: addDays(plan.startDate, periodDays - 1) };
}

/** `GET /v1/plans/{planId}`: days compared on each side of the start. */
export const planImpactQuery = z.strictObject({
  days: z._default(z.coerce.number().check(z.int(), z.gte(7), z.lte(180)), 30),
});
