import { ALL, type Segment } from '#aggregation/rules/aggregation.ts';
import { type DayCounters, histogramOf, type TrendStep, trendOf } from '#aggregation/rules/report.ts';
import { better } from '#aggregation/rules/segments.ts';
import { DAY_MS, dayOf } from '#kernel/days.ts';
import { changeBetween, estimateOf, type Interval } from '#kernel/metrics.ts';
import { type Locale, type ScoredQuestion, type Survey, scoredQuestions } from '#kernel/survey.ts';
import type { Case, Severity } from './case.ts';
import { loopFigures } from './loop-metrics.ts';
import type { ReportFrequency } from './report-frequencies.ts';
import type { RoutingTable } from './routing.ts';

/**
 * Scheduled reports: each owner in the routing table who asked for one gets, daily, weekly or monthly, one email
 * with the figures of the places they own in each survey (NPS, CSAT and CES with n and 95% intervals, against the
 * period before), a trend chart, and the place's open and overdue cases. Periods are whole UTC days that ended
 * before the report goes out.
 */

/** Most places one report covers; the rest are counted and left to the app. */
export const MAX_REPORT_SECTIONS = 20;
/** Open cases a section lists (the oldest first); the rest are counted. */
export const REPORT_CASES = 5;
/** The cases a report reads: those opened in the last 90 days (older ones still open are in the app's inbox). */
export const REPORT_CASE_DAYS = 90;
/** The hour (UTC) from which the day's reports go out, unless the deployment says otherwise. */
export const DEFAULT_REPORT_HOUR_UTC = 9;

export interface DayRange {
  readonly from: string;
  readonly to: string;
}

/** What one frequency's report covers: its period, the one it is compared with, and its trend. */
export interface ReportPeriod {
  readonly frequency: ReportFrequency;
  readonly period: DayRange;
  readonly previous: DayRange;
  readonly trend: DayRange & { readonly step: TrendStep };
}

const plusDays = (day: string, n: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));

/**
 * The reports due on `now`'s UTC day, once its hour has come: daily ones every day (yesterday, against the 7 days
 * before it), weekly ones on Mondays (last Monday to Sunday, against the week before), monthly ones on the 1st
 * (last calendar month, against the month before).
 */
export function reportsDue(now: Date, hourUtc: number): ReportPeriod[] {
  if (now.getUTCHours() < hourUtc) return [];
  const today = dayOf(now);
  const yesterday = plusDays(today, -1);
  const due: ReportPeriod[] = [
    {
      frequency: 'daily',
      period: { from: yesterday, to: yesterday },
      previous: { from: plusDays(yesterday, -7), to: plusDays(yesterday, -1) },
      trend: { from: plusDays(yesterday, -29), to: yesterday, step: 'day' },
    },
  ];
  if (now.getUTCDay() === 1)
    due.push({
      frequency: 'weekly',
      period: { from: plusDays(today, -7), to: yesterday },
      previous: { from: plusDays(today, -14), to: plusDays(today, -8) },
      trend: { from: plusDays(today, -84), to: yesterday, step: 'week' },
    });
  if (now.getUTCDate() === 1) {
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const monthBefore = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1));
    due.push({
      frequency: 'monthly',
      period: { from: dayOf(lastMonth), to: yesterday },
      previous: { from: dayOf(monthBefore), to: plusDays(dayOf(lastMonth), -1) },
      trend: { from: plusDays(yesterday, -90), to: yesterday, step: 'week' },
    });
  }
  return due;
}

/** Someone who gets a report: their address, name and language, how often, and the places they own. */
export interface ReportSubscriber {
  readonly email: string;
  readonly name?: string;
  readonly locale?: Locale;
  readonly frequency: ReportFrequency;
  /** `key:value` or `*`, in the routing table's order, each once. */
  readonly places: readonly string[];
}

/** The routing table's tiers that asked for a report, one subscriber per address and frequency. */
export function subscribersOf(table: RoutingTable): ReportSubscriber[] {
  const byKey = new Map<string, ReportSubscriber>();
  for (const route of table.routes)
    for (const tier of route.tiers) {
      if (!tier.reports) continue;
      const key = `${tier.email.toLowerCase()}|${tier.reports}`;
      const known = byKey.get(key);
      if (known) {
        if (!known.places.includes(route.segment))
          byKey.set(key, { ...known, places: [...known.places, route.segment] });
        continue;
      }
      byKey.set(key, {
        email: tier.email,
        frequency: tier.reports,
        places: [route.segment],
        ...(tier.name ? { name: tier.name } : {}),
        ...(tier.locale ? { locale: tier.locale } : {}),
      });
    }
  return [...byKey.values()];
}

/** A place of the routing table as a segment of this survey: `*` is the whole survey; a key it does not count, none. */
export function segmentIn(survey: Survey, place: string): Segment | undefined {
  if (place === '*') return ALL;
  const colon = place.indexOf(':');
  const key = place.slice(0, colon);
  return colon > 0 && survey.segmentKeys.includes(key) ? { key, value: place.slice(colon + 1) } : undefined;
}

/** Whether a case was opened in a place (`*`: anywhere). */
export function caseInPlace(c: Case, segment: Segment): boolean {
  return segment === ALL || c.segment[segment.key] === segment.value;
}

/** A headline figure of the period against the one before: clearly better, clearly worse, or no clear change. */
export interface ReportHeadline {
  readonly questionId: string;
  readonly type: ScoredQuestion['type'];
  readonly n: number;
  readonly score: number | null;
  readonly ci95: Interval | null;
  readonly previous: { readonly n: number; readonly score: number | null };
  readonly change: { readonly value: number; readonly ci95: Interval } | null;
  readonly direction: 'better' | 'worse' | 'same' | null;
}

export interface ReportCase {
  readonly caseId: string;
  readonly openedAt: string;
  readonly severity: Severity;
  readonly status: Case['status'];
  readonly overdue: boolean;
}

/** One survey and place of a report. */
export interface ReportSection {
  readonly survey: Survey;
  readonly place: string;
  readonly segment: Segment;
  readonly headlines: readonly ReportHeadline[];
  /** The trend of the first headline: oldest first, only steps with answers. */
  readonly trend: {
    readonly questionId: string;
    readonly step: TrendStep;
    readonly from: string;
    readonly to: string;
    readonly points: readonly {
      readonly day: string;
      readonly score: number | null;
      readonly ci95: Interval | null;
    }[];
  } | null;
  readonly cases: {
    readonly open: number;
    readonly overdue: number;
    /** The oldest open ones, at most REPORT_CASES. */
    readonly oldest: readonly ReportCase[];
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const roundInterval = (ci: Interval | null) => (ci ? { low: round1(ci.low), high: round1(ci.high) } : null);

/** The survey's first NPS, CSAT and CES questions: the figures a report leads with. */
const headlineQuestions = (survey: Survey): ScoredQuestion[] =>
  (['nps', 'csat', 'ces'] as const)
    .map((type) => scoredQuestions(survey).find((q) => q.type === type))
    .filter((q): q is ScoredQuestion => q !== undefined);

function headlineOf(q: ScoredQuestion, days: readonly DayCounters[], p: ReportPeriod): ReportHeadline {
  const now = estimateOf(q, histogramOf(days, q.id, p.period.from, p.period.to));
  const before = estimateOf(q, histogramOf(days, q.id, p.previous.from, p.previous.to));
  const change = changeBetween(now, before);
  // The change on a higher-is-better scale: clearly better or worse when its whole interval is on one side of 0.
  const sign = better(q);
  const low = change ? Math.min(sign * change.ci95.low, sign * change.ci95.high) : 0;
  const high = change ? Math.max(sign * change.ci95.low, sign * change.ci95.high) : 0;
  const direction = change === null ? null : low > 0 ? 'better' : high < 0 ? 'worse' : 'same';
  return {
    questionId: q.id,
    type: q.type,
    n: now.n,
    score: now.score === null ? null : round1(now.score),
    ci95: roundInterval(now.ci95),
    previous: { n: before.n, score: before.score === null ? null : round1(before.score) },
    change: change ? { value: round1(change.value), ci95: roundInterval(change.ci95) as Interval } : null,
    direction,
  };
}

/**
 * One place of one survey for a report: its headlines against the period before, the first one's trend, and its
 * cases as of `now` (those of `cases` opened in the place). `days` are the place's aggregate days over the trend and
 * the previous period.
 */
export function reportSection(input: {
  survey: Survey;
  place: string;
  segment: Segment;
  days: readonly DayCounters[];
  period: ReportPeriod;
  cases: readonly Case[];
  now: Date;
}): ReportSection {
  const { survey, segment, days, period, now } = input;
  const headlines = headlineQuestions(survey).map((q) => headlineOf(q, days, period));
  const first = headlines[0];
  const inTrend = days.filter((d) => d.day >= period.trend.from && d.day <= period.trend.to);
  const trend = first
    ? {
        questionId: first.questionId,
        step: period.trend.step,
        from: period.trend.from,
        to: period.trend.to,
        points: trendOf(survey, inTrend, period.trend.step, period.trend.from).map((point) => {
          const f = point.questions[first.questionId];
          return { day: point.day, score: f?.score ?? null, ci95: f?.ci95 ?? null };
        }),
      }
    : null;
  const here = input.cases.filter((c) => caseInPlace(c, segment));
  const open = here.filter((c) => c.status === 'open' || c.status === 'acknowledged');
  const figures = loopFigures(here, now);
  const oldest = [...open]
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt))
    .slice(0, REPORT_CASES)
    .map((c) => ({
      caseId: c.caseId,
      openedAt: c.openedAt,
      severity: c.severity,
      status: c.status,
      overdue: c.dueAt !== undefined && Date.parse(c.dueAt) < now.getTime(),
    }));
  return {
    survey,
    place: input.place,
    segment,
    headlines,
    trend,
    cases: { open: figures.open, overdue: figures.overdue, oldest },
  };
}

/** Whether a section has anything to say: answers in either period, or open cases. */
export const hasNews = (s: ReportSection): boolean =>
  s.headlines.some((h) => h.n > 0 || h.previous.n > 0) || s.cases.open > 0;

/** The days a section reads: from the earliest of the trend and the previous period to the period's end. */
export const daysToRead = (p: ReportPeriod): DayRange => ({
  from: p.previous.from < p.trend.from ? p.previous.from : p.trend.from,
  to: p.period.to,
});

/** The cases a report reads: opened in the last REPORT_CASE_DAYS days. */
export const casesSince = (now: Date): Date => new Date(now.getTime() - REPORT_CASE_DAYS * DAY_MS);
