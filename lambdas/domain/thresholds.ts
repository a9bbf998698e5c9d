import type { AggregateStore, Mailer, Notifier } from '#ports/index.ts';
import { ALL, type Segment } from './aggregation.ts';
import { ownerFor } from './cases.ts';
import { estimateOf, type Interval } from './metrics.ts';
import { histogramOf } from './plans.ts';
import type { DayCounters } from './report.ts';
import { type RoutingStore, tiersFor } from './routing.ts';
import { type Locale, localized, type Survey, scoredQuestions, type ThresholdRule } from './survey.ts';

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

const DAY = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const Z95 = 1.959963984540054;

/** The window ending `today` (included) and the one before it, as day ranges. */
export function windows(rule: ThresholdRule, today: Date) {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const w = rule.windowDays;
  return {
    current: { from: dayOf(new Date(end - (w - 1) * DAY)), to: dayOf(new Date(end)) },
    previous: { from: dayOf(new Date(end - (2 * w - 1) * DAY)), to: dayOf(new Date(end - w * DAY)) },
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
  if (rule.dropBy !== undefined && now.score !== null && before.score !== null) {
    const change = now.score - before.score;
    const half = Z95 * Math.sqrt(now.variance + before.variance);
    const clear = change + half < 0 && -change >= rule.dropBy;
    if (enough && before.n >= rule.minResponses && clear) met.push('drop');
    if (change >= 0) recovered.push('drop');
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

export interface ThresholdStateStore {
  /** ok (or never seen) -> firing; true when this call made the change (so it alerts). */
  fire(surveyId: string, ruleId: string, segment: Segment, condition: Condition, at: Date): Promise<boolean>;
  /** firing -> ok; true when this call made the change. */
  recover(
    surveyId: string,
    ruleId: string,
    segment: Segment,
    condition: Condition,
    at: Date,
  ): Promise<boolean>;
}

export interface ThresholdDeps {
  readonly aggregates: AggregateStore;
  readonly states: ThresholdStateStore;
  readonly notifier: Notifier;
  /** The segment's owner is emailed too (the first tier of its route, else the survey's owner). */
  readonly email?: {
    readonly mailer: Mailer;
    readonly routing: RoutingStore;
    readonly render: (input: ThresholdEmailInput) => { subject: string; html: string; text: string };
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

/**
 * Who owns a segment's figures: the first tier of the route the segment's `key:value` matches (the `*` route for
 * the whole survey), else the survey's owner for it.
 */
export async function thresholdOwner(
  routing: RoutingStore,
  survey: Survey,
  segment: Segment,
): Promise<{ email: string; locale: Locale } | undefined> {
  const attributes: Record<string, string> = segment.key === 'all' ? {} : { [segment.key]: segment.value };
  const tier = tiersFor(await routing.get(), attributes)[0];
  const owner = tier ?? ownerFor(survey, attributes);
  return owner ? { email: owner.email, locale: owner.locale ?? survey.defaultLocale } : undefined;
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

/**
 * Checks the survey's rules for one segment (after new answers in it) and alerts on each condition that starts
 * or ends. Answers the events it raised.
 */
export async function checkThresholds(
  deps: ThresholdDeps,
  survey: Survey,
  segment: Segment,
  today: Date,
): Promise<ThresholdEvent[]> {
  const rules = survey.thresholds.filter((t) =>
    t.segmentKey === 'all' ? segment === ALL || segment.key === 'all' : t.segmentKey === segment.key,
  );
  if (rules.length === 0) return [];
  const longest = Math.max(...rules.map((r) => r.windowDays));
  const from = dayOf(new Date(today.getTime() - (2 * longest - 1) * DAY));
  const days = await deps.aggregates.readDays(survey.id, segment, from, dayOf(today));
  const events: ThresholdEvent[] = [];
  for (const rule of rules) {
    const check = checkThreshold(rule, survey, segment, days, today);
    if (!check) continue;
    for (const condition of ['below', 'drop'] as const) {
      if (
        check.met.includes(condition) &&
        (await deps.states.fire(survey.id, rule.id, segment, condition, today))
      ) {
        events.push({ kind: 'fired', condition, ...check });
        await tell(deps, survey, rule, 'fired', condition, check);
      } else if (
        check.recovered.includes(condition) &&
        (await deps.states.recover(survey.id, rule.id, segment, condition, today))
      ) {
        events.push({ kind: 'recovered', condition, ...check });
        await tell(deps, survey, rule, 'recovered', condition, check);
      }
    }
  }
  return events;
}

/** SNS for subscribers (with the owner's email, to filter on), and an email to the segment's owner. */
async function tell(
  deps: ThresholdDeps,
  survey: Survey,
  rule: ThresholdRule,
  kind: 'fired' | 'recovered',
  condition: Condition,
  check: ThresholdCheck,
): Promise<void> {
  const owner = deps.email ? await thresholdOwner(deps.email.routing, survey, check.segment) : undefined;
  const alert = alertOf(survey, rule, kind, condition, check);
  await deps.notifier.publish(
    owner ? { ...alert, attributes: { ...alert.attributes, ownerEmail: owner.email } } : alert,
  );
  const q = scoredQuestions(survey).find((x) => x.id === rule.questionId);
  if (!deps.email || !owner || !q) return;
  const email = deps.email.render({
    locale: owner.locale,
    surveyTitle: localized(survey.title, owner.locale),
    questionId: q.id,
    questionType: q.type,
    rule,
    kind,
    condition,
    check,
  });
  await deps.email.mailer.send({ to: owner.email, ...email });
}

function alertOf(
  survey: Survey,
  rule: ThresholdRule,
  kind: 'fired' | 'recovered',
  condition: Condition,
  c: ThresholdCheck,
) {
  const where = c.segment.key === 'all' ? 'all responses' : `${c.segment.key} ${c.segment.value}`;
  const figure = `${rule.questionId} over ${rule.windowDays} days for ${where}: ${c.score}${
    c.ci95 ? ` (95% CI ${c.ci95.low} to ${c.ci95.high})` : ''
  }, n=${c.n}`;
  const what =
    condition === 'below'
      ? `below ${rule.below}`
      : `down from ${c.previous.score} (n=${c.previous.n}) in the ${rule.windowDays} days before`;
  const subject =
    kind === 'fired'
      ? `Threshold: ${survey.id} ${rule.questionId} ${where} ${what}`
      : `Recovered: ${survey.id} ${rule.questionId} ${where}`;
  return {
    subject,
    message: `${kind === 'fired' ? 'Alert' : 'Recovered'} (${rule.id}): ${figure}; ${what}.`,
    attributes: {
      surveyId: survey.id,
      event: kind === 'fired' ? 'threshold' : 'threshold-recovered',
      rule: rule.id,
      condition,
      severity: rule.severity,
      [`segment.${c.segment.key}`]: c.segment.value,
    },
  };
}
