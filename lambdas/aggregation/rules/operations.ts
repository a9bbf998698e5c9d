import type { Interaction, ResponseRecord } from '#capture/rules/response.ts';
import {
  type CesFigure,
  type CsatFigure,
  ces,
  csat,
  type Histogram,
  type Interval,
  wilson,
} from '#kernel/metrics.ts';
import { type Survey, scoredQuestions } from '#kernel/survey.ts';
import { counterName, type DayCounters, parseCounterName } from './counters.ts';

/**
 * Service times are kept as mergeable histograms of log-spaced buckets (as DDSketch does): a duration of x
 * seconds falls in bucket i with γ^(i-1) < x ≤ γ^i, and the bucket stands for 2γ^i / (γ + 1), within this relative
 * error of every duration in it. Buckets of days and places add up, so a percentile over any window and any set
 * of places comes from the daily aggregates, never from re-reading responses, and keeps the same bound.
 */
export const DURATION_RELATIVE_ERROR = 0.05;
const GAMMA = (1 + DURATION_RELATIVE_ERROR) / (1 - DURATION_RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);
/** A year: longer durations count in the last bucket (2 γ^173 / (γ + 1) ≈ 1.0 years). */
const MAX_SECONDS = 366 * 86_400;
const MAX_BUCKET = 1 + Math.ceil(Math.log(MAX_SECONDS) / LOG_GAMMA);

/** Bucket 0 holds durations under a second (taken as 0); bucket k ≥ 1 the durations in (γ^(k-2), γ^(k-1)]. */
export function bucketOf(seconds: number): number {
  if (!(seconds >= 1)) return 0;
  return Math.min(MAX_BUCKET, 1 + Math.max(0, Math.ceil(Math.log(seconds) / LOG_GAMMA - 1e-12)));
}

/** The duration a bucket stands for. */
export function valueOfBucket(bucket: number): number {
  return bucket <= 0 ? 0 : (2 * GAMMA ** (bucket - 1)) / (GAMMA + 1);
}

/**
 * The p-quantile (0 ≤ p ≤ 1) of the durations a bucket histogram holds: the value of the bucket of the duration
 * of rank ⌊p (n - 1)⌋ in ascending order, so within DURATION_RELATIVE_ERROR of that duration. Null when empty.
 */
export function quantile(histogram: Histogram, p: number): number | null {
  const buckets = Object.entries(histogram)
    .map(([b, c]) => [Number(b), c] as const)
    .filter(([, c]) => c > 0)
    .sort(([a], [b]) => a - b);
  const n = buckets.reduce((sum, [, c]) => sum + c, 0);
  if (n === 0) return null;
  const rank = Math.floor(p * (n - 1));
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen > rank) return valueOfBucket(bucket);
  }
  return valueOfBucket(buckets[buckets.length - 1]?.[0] ?? 0);
}

/** The counters of operational facts (names with `ops:`; none is a question id). */
const OPS = {
  /** Responses about an interaction. */
  n: 'ops:n',
  /** Resolved on first contact: `ops:fcr#1`, or not: `ops:fcr#0`. */
  fcr: 'ops:fcr',
  /** First response time: buckets `ops:frt#<k>` and the sum of seconds `ops:frt:sum`. */
  firstResponse: 'ops:frt',
  /** Resolution time, the same way. */
  resolution: 'ops:rt',
} as const;

/** A question's answers of interactions (`<q>@ops#<score>`), or of those resolved on first contact or not. */
const splitOf = (questionId: string, part: 'ops' | 'fcr1' | 'fcr0') => `${questionId}@${part}`;

/** Whether it was resolved on first contact: as the vendor says, else from one contact and a resolution. */
export function resolvedOnFirstContact(i: Interaction): boolean | undefined {
  if (i.resolvedOnFirstContact !== undefined) return i.resolvedOnFirstContact;
  if (i.contacts !== undefined && i.resolvedAt !== undefined) return i.contacts === 1;
  return undefined;
}

const secondsBetween = (from: string | undefined, to: string | undefined): number | undefined => {
  if (from === undefined || to === undefined) return undefined;
  const s = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s : undefined;
};

/**
 * What a response adds to its aggregates for the interaction it is about. The facts of the interaction (count,
 * first-contact resolution, service times) count once, with the submission's first answers; its answers count
 * in the interactions' CSAT and CES (and split by first-contact resolution) as each arrives (`later`).
 */
export function operationsCountersOf(
  survey: Survey,
  response: ResponseRecord,
  later: boolean,
): Record<string, number> {
  const interaction = response.interaction;
  if (!interaction) return {};
  const counters: Record<string, number> = {};
  const fcr = resolvedOnFirstContact(interaction);
  if (!later) {
    counters[OPS.n] = 1;
    if (fcr !== undefined) counters[counterName(OPS.fcr, fcr ? 1 : 0)] = 1;
    const times = [
      [OPS.firstResponse, secondsBetween(interaction.openedAt, interaction.firstResponseAt)],
      [OPS.resolution, secondsBetween(interaction.openedAt, interaction.resolvedAt)],
    ] as const;
    for (const [name, seconds] of times) {
      if (seconds === undefined) continue;
      counters[counterName(name, bucketOf(seconds))] = 1;
      counters[`${name}:sum`] = Math.round(seconds);
    }
  }
  for (const q of scoredQuestions(survey)) {
    if (q.type === 'nps') continue;
    const answer = response.answers[q.id];
    if (typeof answer !== 'number') continue;
    counters[counterName(splitOf(q.id, 'ops'), answer)] = 1;
    if (fcr !== undefined) counters[counterName(splitOf(q.id, fcr ? 'fcr1' : 'fcr0'), answer)] = 1;
  }
  return counters;
}

export interface ServiceTime {
  /** Interactions with both times. */
  readonly n: number;
  readonly meanSeconds: number | null;
  readonly p50Seconds: number | null;
  readonly p90Seconds: number | null;
}

export interface OperationsFigure {
  /** Responses about an interaction (a call, a chat, a ticket) in the period. */
  readonly n: number;
  readonly firstContactResolution: {
    /** % resolved on first contact, of those whose resolution is known. */
    readonly rate: number | null;
    readonly resolved: number;
    readonly n: number;
    readonly ci95: Interval | null;
  };
  readonly firstResponseTime: ServiceTime;
  readonly resolutionTime: ServiceTime;
  /** Percentiles are within this relative error of the exact ones (the mean is exact to the second). */
  readonly relativeError: number;
  /** CSAT and CES of these interactions (the survey's first CSAT and CES questions). */
  readonly csat: CsatFigure | null;
  readonly ces: CesFigure | null;
  /** The same, of those resolved on first contact and of those not. */
  readonly byFirstContact: {
    readonly resolved: { readonly csat: CsatFigure | null; readonly ces: CesFigure | null };
    readonly notResolved: { readonly csat: CsatFigure | null; readonly ces: CesFigure | null };
  };
}

/** Sums a counter family over days: `name#k` into a histogram by k. */
function histogramOf(days: readonly DayCounters[], family: string): Record<number, number> {
  const h: Record<number, number> = {};
  for (const d of days)
    for (const [name, count] of Object.entries(d.counters)) {
      const parsed = parseCounterName(name);
      if (parsed?.questionId === family) h[parsed.score] = (h[parsed.score] ?? 0) + count;
    }
  return h;
}

const total = (days: readonly DayCounters[], name: string) =>
  days.reduce((sum, d) => sum + (d.counters[name] ?? 0), 0);

function serviceTime(days: readonly DayCounters[], family: string): ServiceTime {
  const h = histogramOf(days, family);
  const n = Object.values(h).reduce((a, b) => a + b, 0);
  const round = (x: number | null) => (x === null ? null : Math.round(x));
  return {
    n,
    meanSeconds: n === 0 ? null : Math.round(total(days, `${family}:sum`) / n),
    p50Seconds: round(quantile(h, 0.5)),
    p90Seconds: round(quantile(h, 0.9)),
  };
}

/** The interactions' figures over the days given; null when no response of them was about an interaction. */
export function operationsOf(survey: Survey, days: readonly DayCounters[]): OperationsFigure | null {
  const n = total(days, OPS.n);
  if (n === 0) return null;
  const fcr = histogramOf(days, OPS.fcr);
  const resolved = fcr[1] ?? 0;
  const known = resolved + (fcr[0] ?? 0);
  const csatQ = scoredQuestions(survey).find((q) => q.type === 'csat');
  const cesQ = scoredQuestions(survey).find((q) => q.type === 'ces');
  const figures = (part: 'ops' | 'fcr1' | 'fcr0') => {
    const of = (id: string): Histogram => histogramOf(days, splitOf(id, part));
    return {
      csat: csatQ ? nonEmpty(csat(of(csatQ.id))) : null,
      ces: cesQ && cesQ.type === 'ces' ? nonEmpty(ces(cesQ, of(cesQ.id))) : null,
    };
  };
  return {
    n,
    firstContactResolution: {
      rate: known === 0 ? null : Math.round((1000 * resolved) / known) / 10,
      resolved,
      n: known,
      ci95: wilson(resolved, known),
    },
    firstResponseTime: serviceTime(days, OPS.firstResponse),
    resolutionTime: serviceTime(days, OPS.resolution),
    relativeError: DURATION_RELATIVE_ERROR,
    ...figures('ops'),
    byFirstContact: { resolved: figures('fcr1'), notResolved: figures('fcr0') },
  };
}

const nonEmpty = <F extends { n: number }>(f: F): F | null => (f.n === 0 ? null : f);
