import type { ScoreBand } from './bands.ts';
import { type CesQuestion, effortBand, type ScoredQuestion, scaleOf } from './survey.ts';

/** Count of answers per score, e.g. `{ 9: 12, 10: 30, 3: 4 }`. */
export type Histogram = Readonly<Record<number, number>>;

/** A 95% confidence interval. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

const Z95 = 1.959963984540054;

/** Where a question's headline figure can be: NPS -100 to 100, CSAT % 0 to 100, a CES mean on its own scale. */
export function figureRange(q: ScoredQuestion): { readonly min: number; readonly max: number } {
  return q.type === 'nps' ? { min: -100, max: 100 } : q.type === 'csat' ? { min: 0, max: 100 } : scaleOf(q);
}

const round = (x: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function countOf(h: Histogram): number {
  let n = 0;
  for (const c of Object.values(h)) n += c;
  return n;
}

function countWhere(h: Histogram, pred: (score: number) => boolean): number {
  let n = 0;
  for (const [score, c] of Object.entries(h)) if (pred(Number(score))) n += c;
  return n;
}

/** Wilson score interval for a proportion, as a percentage. */
export function wilson(successes: number, n: number): Interval | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: round(100 * Math.max(0, centre - half)), high: round(100 * Math.min(1, centre + half)) };
}

export interface NpsFigure {
  readonly score: number | null;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  readonly n: number;
  readonly ci95: Interval | null;
}

/** An NPS answer's band: promoters 9-10, passives 7-8, detractors 0-6. */
export const npsBand = (score: number): 'promoter' | 'passive' | 'detractor' =>
  score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';

/** A CSAT answer counts as satisfied at 4 or 5 (top-2 box). */
export const isSatisfied = (score: number): boolean => score >= 4;

/** The band of an answer to a scored question. */
export function scoreBand(q: ScoredQuestion, score: number): ScoreBand {
  switch (q.type) {
    case 'nps':
      return npsBand(score);
    case 'csat':
      return isSatisfied(score) ? 'satisfied' : 'dissatisfied';
    case 'ces':
      return `${effortBand(q, score)}-effort`;
  }
}

/**
 * NPS = 100 x (P - D) / n. Its variance is (p+ + p- - (p+ - p-)^2) / n; the interval is clamped to [-100, 100].
 */
export function nps(h: Histogram): NpsFigure {
  const promoters = countWhere(h, (s) => npsBand(s) === 'promoter');
  const passives = countWhere(h, (s) => npsBand(s) === 'passive');
  const detractors = countWhere(h, (s) => npsBand(s) === 'detractor');
  const n = promoters + passives + detractors;
  if (n === 0) return { score: null, promoters, passives, detractors, n, ci95: null };
  const pp = promoters / n;
  const pd = detractors / n;
  const score = 100 * (pp - pd);
  const se = 100 * Math.sqrt((pp + pd - (pp - pd) ** 2) / n);
  return {
    score: round(score),
    promoters,
    passives,
    detractors,
    n,
    ci95: { low: round(Math.max(-100, score - Z95 * se)), high: round(Math.min(100, score + Z95 * se)) },
  };
}

export interface CsatFigure {
  readonly score: number | null;
  readonly satisfied: number;
  readonly n: number;
  readonly ci95: Interval | null;
}

/** CSAT % = 100 x (count of 4 and 5) / n (top-2-box). */
export function csat(h: Histogram): CsatFigure {
  const n = countOf(h);
  const satisfied = countWhere(h, isSatisfied);
  return { score: n === 0 ? null : round((100 * satisfied) / n), satisfied, n, ci95: wilson(satisfied, n) };
}

export interface CesFigure {
  readonly mean: number | null;
  readonly n: number;
  readonly scale: 5 | 7;
  readonly direction: CesQuestion['direction'];
  /** Mean of the answers as given, on the question's own scale and direction. */
  readonly meanCi95: Interval | null;
  readonly lowEffort: number;
  readonly lowEffortPct: number | null;
  readonly lowEffortCi95: Interval | null;
}

/** CES mean and % low-effort answers, on the question's own scale and direction (never mixed). */
export function ces(q: CesQuestion, h: Histogram): CesFigure {
  const n = countOf(h);
  const lowEffort = countWhere(h, (s) => effortBand(q, s) === 'low');
  const base = { n, scale: q.scale, direction: q.direction, lowEffort };
  if (n === 0) return { ...base, mean: null, meanCi95: null, lowEffortPct: null, lowEffortCi95: null };
  let sum = 0;
  let sumSq = 0;
  for (const [score, c] of Object.entries(h)) {
    sum += Number(score) * c;
    sumSq += Number(score) ** 2 * c;
  }
  const mean = sum / n;
  const variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
  const half = Z95 * Math.sqrt(Math.max(0, variance) / n);
  return {
    ...base,
    mean: round(mean, 2),
    meanCi95: { low: round(mean - half, 2), high: round(mean + half, 2) },
    lowEffortPct: round((100 * lowEffort) / n),
    lowEffortCi95: wilson(lowEffort, n),
  };
}

/** Adds histograms (e.g. the days of a window). */
export function mergeHistograms(hs: Iterable<Histogram>): Record<number, number> {
  const out: Record<number, number> = {};
  for (const h of hs)
    for (const [score, c] of Object.entries(h)) out[Number(score)] = (out[Number(score)] ?? 0) + c;
  return out;
}

/**
 * A question's headline figure (NPS, CSAT %, CES mean), its interval, and the variance of the estimate, for the
 * interval of a difference between two periods.
 */
export function estimateOf(
  q: ScoredQuestion,
  h: Histogram,
): { n: number; score: number | null; ci95: Interval | null; variance: number } {
  const n = countOf(h);
  if (n === 0) return { n, score: null, ci95: null, variance: 0 };
  if (q.type === 'nps') {
    const f = nps(h);
    const pp = f.promoters / n;
    const pd = f.detractors / n;
    return { n, score: f.score, ci95: f.ci95, variance: (100 ** 2 * (pp + pd - (pp - pd) ** 2)) / n };
  }
  if (q.type === 'csat') {
    const f = csat(h);
    const p = f.satisfied / n;
    return { n, score: f.score, ci95: f.ci95, variance: (100 ** 2 * p * (1 - p)) / n };
  }
  const f = ces(q, h);
  let sum = 0;
  let sumSq = 0;
  for (const [s, c] of Object.entries(h)) {
    sum += Number(s) * c;
    sumSq += Number(s) ** 2 * c;
  }
  const mean = sum / n;
  const sample = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
  return { n, score: f.mean, ci95: f.meanCi95, variance: Math.max(0, sample) / n };
}

export type Estimate = ReturnType<typeof estimateOf>;

/**
 * The change of a figure from one period to the next, with the 95% interval of the difference (the periods are
 * independent samples); null when either has no answers. Not rounded: rules compare it with lines.
 */
export function changeBetween(
  now: Estimate,
  before: Estimate,
): { readonly value: number; readonly ci95: Interval } | null {
  if (now.score === null || before.score === null) return null;
  const value = now.score - before.score;
  const half = Z95 * Math.sqrt(now.variance + before.variance);
  return { value, ci95: { low: value - half, high: value + half } };
}
