import { ALL, type Segment } from '#aggregation/rules/aggregation.ts';
import { type DayCounters, histogramOf } from '#aggregation/rules/report.ts';
import { DAY_MS, dayOf } from '#kernel/days.ts';
import { changeBetween, estimateOf, type Interval } from '#kernel/metrics.ts';
import { type Locale, type Survey, scoredQuestions, type ThresholdRule } from '#kernel/survey.ts';

/**
 * Threshold alerts on rolling figures. A rule fires only when its window has at least `minResponses` answers and
 * the 95% interval is clear of the target (`below`), or the change against the previous window is clear of zero
 * and at least `dropBy` (a drop). It fires once per condition and segment until the figure recovers: the state
 * of each (rule, segment) moves ok -> firing -> ok in conditional writes, so concurrent checks alert once.
 */
export type Condition = 'below' | 'drop';

export interface ThresholdCheck {
  readonly ruleId: string;
  readonly segment: Segment;
  readonly n: number;
  readonly score: number | null;
  readonly ci95: Interval | null;
  readonly previous: { readonly n: number; readonly score: number | null };
  /** Conditions met now (the interval clear of the line). */
  readonly met: readonly Condition[];
  /** Conditions clearly over (recovered): the figure back at or above the target, or no longer lower. */
  readonly recovered: readonly Condition[];
}

/** The window ending `today` (included) and the one before it, as day ranges. */
export function windows(rule: ThresholdRule, today: Date) {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const w = rule.windowDays;
  return {
    current: { from: dayOf(new Date(end - (w - 1) * DAY_MS)), to: dayOf(new Date(end)) },
    previous: { from: dayOf(new Date(end - (2 * w - 1) * DAY_MS)), to: dayOf(new Date(end - w * DAY_MS)) },
  };
}

export function checkThreshold(
  rule: ThresholdRule,
  survey: Survey,
  segment: Segment,
  days: readonly DayCounters[],
  today: Date,
): ThresholdCheck | undefined {
  const q = scoredQuestions(survey).find((x) => x.id === rule.questionId);
  if (!q) return undefined;
  const { current, previous } = windows(rule, today);
  const now = estimateOf(q, histogramOf(days, q.id, current.from, current.to));
  const before = estimateOf(q, histogramOf(days, q.id, previous.from, previous.to));
  const met: Condition[] = [];
  const recovered: Condition[] = [];
  const enough = now.n >= rule.minResponses;
  if (rule.below !== undefined && now.score !== null && now.ci95) {
    if (enough && now.ci95.high < rule.below) met.push('below');
    if (now.score >= rule.below) recovered.push('below');
  }
  const change = changeBetween(now, before);
  if (rule.dropBy !== undefined && change) {
    const clear = change.ci95.high < 0 && -change.value >= rule.dropBy;
    if (enough && before.n >= rule.minResponses && clear) met.push('drop');
    if (change.value >= 0) recovered.push('drop');
  }
  return {
    ruleId: rule.id,
    segment,
    n: now.n,
    score: now.score,
    ci95: now.ci95,
    previous: { n: before.n, score: before.score },
    met,
    recovered,
  };
}

/** What a threshold alert email says (see views/threshold-email.ts). */
export interface ThresholdEmailInput {
  readonly locale: Locale;
  readonly surveyTitle: string;
  readonly questionId: string;
  readonly questionType: 'nps' | 'csat' | 'ces';
  readonly rule: ThresholdRule;
  readonly kind: 'fired' | 'recovered';
  readonly condition: Condition;
  readonly check: ThresholdCheck;
}

export type ThresholdEvent = {
  readonly kind: 'fired' | 'recovered';
  readonly condition: Condition;
} & ThresholdCheck;

/** The segments of a response that a survey's threshold rules watch. */
export function watchedSegments(survey: Survey, attributes: Readonly<Record<string, string>>): Segment[] {
  const keys = new Set(survey.thresholds.map((t) => t.segmentKey));
  const out: Segment[] = [];
  if (keys.has('all')) out.push(ALL);
  for (const key of keys)
    if (key !== 'all' && attributes[key]) out.push({ key, value: attributes[key] as string });
  return out;
}
