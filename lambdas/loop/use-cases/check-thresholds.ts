import type { AggregateStore } from '#aggregation/ports.ts';
import { ALL, type Segment } from '#aggregation/rules/aggregation.ts';
import { DAY_MS, dayOf } from '#kernel/days.ts';
import type { Mailer, Notifier } from '#kernel/ports.ts';
import { type Locale, localized, type Survey, scoredQuestions, type ThresholdRule } from '#kernel/survey.ts';
import type { RoutingStore, ThresholdStateStore } from '../ports.ts';
import { ownerFor } from '../rules/cases.ts';
import { tiersFor } from '../rules/routing.ts';
import {
  type Condition,
  checkThreshold,
  type ThresholdCheck,
  type ThresholdEmailInput,
  type ThresholdEvent,
} from '../rules/thresholds.ts';

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
  const from = dayOf(new Date(today.getTime() - (2 * longest - 1) * DAY_MS));
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
