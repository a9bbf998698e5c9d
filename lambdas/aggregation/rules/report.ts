import type { ScoreBand } from '#kernel/bands.ts';
import { dayOf } from '#kernel/days.ts';
import { ValidationError } from '#kernel/errors.ts';
import {
  type CesFigure,
  type CsatFigure,
  ces,
  csat,
  estimateOf,
  type Histogram,
  type Interval,
  type NpsFigure,
  nps,
  scoreBand,
} from '#kernel/metrics.ts';
import { type ScoredQuestion, type Survey, scaleOf, scoredQuestions } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';
import { ALL, type Segment } from './aggregation.ts';
import { commentFiguresOf, type SentimentFigure, type ThemeFigure } from './comments.ts';
import { type DayCounters, parseCounterName } from './counters.ts';
import { type OperationsFigure, operationsOf } from './operations.ts';

export const WINDOWS = { '7d': 7, '30d': 30, '90d': 90 } as const;
export type WindowName = keyof typeof WINDOWS;

/** How the trend is cut: a point per UTC day, or per week (Monday to Sunday, UTC). */
export const TREND_STEPS = ['day', 'week'] as const;
export type TrendStep = (typeof TREND_STEPS)[number];

/** `GET /v1/surveys/{surveyId}/metrics?window=7d|30d|90d&segment=key:value&trend=day|week` */
export const metricsQuery = z.object({
  window: z._default(z.enum(Object.keys(WINDOWS) as [WindowName]), '7d'),
  trend: z._default(z.enum(TREND_STEPS), 'day'),
  segment: z.optional(z.string().check(z.maxLength(300), z.meta({ examples: ['store:s-001'] }))),
});

export interface DayRange {
  readonly from: string;
  readonly to: string;
}

/** A rolling window of whole UTC days ending today (included). */
export function windowRange(window: WindowName, now: Date): DayRange {
  const to = dayOf(now);
  const from = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (WINDOWS[window] - 1)),
  );
  return { from: dayOf(from), to };
}

/** `key:value` (absent, `all` or `all:all` for all responses: the one ALL). */
export function parseSegment(raw: string | undefined): Segment {
  if (raw === undefined || raw === '' || raw === 'all' || raw === `${ALL.key}:${ALL.value}`) return ALL;
  const colon = raw.indexOf(':');
  if (colon <= 0 || colon === raw.length - 1) {
    throw new ValidationError('The segment must be written key:value, e.g. store:s-001.', [
      { field: 'segment', code: 'invalid_format', message: 'expected key:value' },
    ]);
  }
  return { key: raw.slice(0, colon), value: raw.slice(colon + 1) };
}

export type { DayCounters } from './counters.ts';

/** Answers per score, every point of the question's scale from its lowest, zeros included, with its band. */
export type Distribution = ReadonlyArray<{
  readonly score: number;
  readonly count: number;
  readonly band: ScoreBand;
}>;

export type QuestionFigure = (
  | ({ readonly type: 'nps'; readonly kind: 'relational' | 'transactional' } & NpsFigure)
  | ({ readonly type: 'csat' } & CsatFigure)
  | ({ readonly type: 'ces' } & CesFigure)
) & { readonly distribution: Distribution };

/** One point of the trend: a question's headline figure (NPS, CSAT %, CES mean) over a day or a week. */
export interface TrendFigure {
  readonly n: number;
  readonly score: number | null;
  readonly ci95: Interval | null;
}

export interface MetricsReport {
  readonly surveyId: string;
  readonly window: WindowName;
  readonly from: string;
  readonly to: string;
  readonly segment: string;
  /** The survey's first NPS, CSAT and CES questions; every question is in `questions`. */
  readonly nps: NpsFigure | null;
  readonly csat: CsatFigure | null;
  readonly ces: CesFigure | null;
  readonly questions: Readonly<Record<string, QuestionFigure>>;
  /**
   * How the interactions the answers are about were handled (first-contact resolution, first response and
   * resolution times), next to their CSAT and CES; null when no answer of the period was about one.
   */
  readonly operations: OperationsFigure | null;
  /** What the period's comments said: how many were read, and how many were negative, neutral or positive. */
  readonly sentiment: SentimentFigure;
  /** The survey's themes: how often each came up, and its impact on NPS (comments.ts). */
  readonly themes: readonly ThemeFigure[];
  readonly trendStep: TrendStep;
  /** Oldest first; only days (or weeks) with answers. `day` is the point's first day within the window. */
  readonly trend: ReadonlyArray<{
    readonly day: string;
    readonly questions: Readonly<Record<string, TrendFigure>>;
  }>;
}

/** The question's histogram over the days in [from, to]. */
export function histogramOf(
  days: readonly DayCounters[],
  questionId: string,
  from: string,
  to: string,
): Histogram {
  const h: Record<number, number> = {};
  for (const d of days) {
    if (d.day < from || d.day > to) continue;
    for (const [name, count] of Object.entries(d.counters)) {
      const parsed = parseCounterName(name);
      if (parsed?.questionId === questionId) h[parsed.score] = (h[parsed.score] ?? 0) + count;
    }
  }
  return h;
}

function histograms(days: readonly DayCounters[]): Map<string, Record<number, number>> {
  const byQuestion = new Map<string, Record<number, number>>();
  for (const d of days) {
    for (const [name, count] of Object.entries(d.counters)) {
      const parsed = parseCounterName(name);
      if (!parsed) continue;
      const h = byQuestion.get(parsed.questionId) ?? {};
      h[parsed.score] = (h[parsed.score] ?? 0) + count;
      byQuestion.set(parsed.questionId, h);
    }
  }
  return byQuestion;
}

function distributionOf(q: ScoredQuestion, h: Histogram): Distribution {
  const { min, max } = scaleOf(q);
  return Array.from({ length: max - min + 1 }, (_, i) => {
    const score = min + i;
    return { score, count: h[score] ?? 0, band: scoreBand(q, score) };
  });
}

function figureOf(q: ScoredQuestion, h: Histogram): QuestionFigure {
  const distribution = distributionOf(q, h);
  switch (q.type) {
    case 'nps':
      return { type: 'nps', kind: q.kind, ...nps(h), distribution };
    case 'csat':
      return { type: 'csat', ...csat(h), distribution };
    case 'ces':
      return { type: 'ces', ...ces(q, h), distribution };
  }
}

const maxDay = (a: string, b: string) => (a < b ? b : a);

/** The Monday (UTC) of a day's week. */
function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return dayOf(d);
}

/** The trend of every scored question over the given days: a point per day, or per week (from `from` on). */
export function trendOf(
  survey: Survey,
  days: readonly DayCounters[],
  step: TrendStep,
  from: string,
): MetricsReport['trend'] {
  const buckets = new Map<string, DayCounters[]>();
  for (const d of [...days].sort((a, b) => a.day.localeCompare(b.day))) {
    const key = step === 'day' ? d.day : maxDay(mondayOf(d.day), from);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(d);
    else buckets.set(key, [d]);
  }
  return [...buckets].map(([day, bucket]) => {
    const perQuestion = histograms(bucket);
    const questions: Record<string, TrendFigure> = {};
    for (const q of scoredQuestions(survey)) {
      const { n, score, ci95 } = estimateOf(q, perQuestion.get(q.id) ?? {});
      questions[q.id] = { n, score, ci95 };
    }
    return { day, questions };
  });
}

function headline(f: QuestionFigure | undefined) {
  if (!f) return null;
  const { type: _type, distribution: _distribution, ...rest } = f;
  if ('kind' in rest) {
    const { kind: _kind, ...nps } = rest;
    return nps;
  }
  return rest;
}

export function buildReport(
  survey: Survey,
  window: WindowName,
  range: DayRange,
  segment: Segment,
  days: readonly DayCounters[],
  trendStep: TrendStep = 'day',
): MetricsReport {
  const all = histograms(days);
  const questions: Record<string, QuestionFigure> = {};
  for (const q of scoredQuestions(survey)) questions[q.id] = figureOf(q, all.get(q.id) ?? {});
  const first = (type: QuestionFigure['type']) => scoredQuestions(survey).find((q) => q.type === type)?.id;
  const pick = (type: QuestionFigure['type']) => {
    const id = first(type);
    return id === undefined ? undefined : questions[id];
  };
  return {
    surveyId: survey.id,
    window,
    from: range.from,
    to: range.to,
    segment: segment === ALL || segment.key === 'all' ? 'all' : `${segment.key}:${segment.value}`,
    nps: headline(pick('nps')) as NpsFigure | null,
    csat: headline(pick('csat')) as CsatFigure | null,
    ces: headline(pick('ces')) as CesFigure | null,
    questions,
    operations: operationsOf(survey, days),
    ...commentFiguresOf(survey, days, range.from, range.to),
    trendStep,
    trend: trendOf(survey, days, trendStep, range.from),
  };
}
