import type { Answer } from '#capture/rules/response.ts';
import { type Analysis, SENTIMENTS, type Sentiment } from '#kernel/analysis.ts';
import { changeBetween, estimateOf, type Interval, npsBand } from '#kernel/metrics.ts';
import { type Locale, localized, type ScoredQuestion, type Survey, scoredQuestions } from '#kernel/survey.ts';
import { themesOf } from '#kernel/themes.ts';
import type { DayCounters } from './counters.ts';

/**
 * What the comments of a day add to its aggregate item, beside the score histograms: comments read, their
 * sentiments, the themes they mention, and for those of a response with an NPS answer its band, overall and per
 * theme (a theme's impact on NPS compares the NPS of the comments that mention it with the NPS of those that do
 * not). `cm:` names no question (a question id has no colon), so the histograms never read them.
 */
const BANDS = ['detractor', 'passive', 'promoter'] as const;
type Band = (typeof BANDS)[number];

export const commentCounter = {
  read: 'cm:n',
  sentiment: (s: Sentiment) => `cm:s#${s}`,
  theme: (themeId: string) => `cm:t#${themeId}`,
  band: (band: Band) => `cm:b#${band}`,
  themeBand: (themeId: string, band: Band) => `cm:tb#${themeId}#${band}`,
};

/** A comment's reading with the submission's answers at the write that brought it (the NPS it was given with). */
export interface Analysed {
  readonly analysis: Analysis;
  readonly answers: Readonly<Record<string, Answer>>;
}

const firstNps = (survey: Survey): ScoredQuestion | undefined =>
  scoredQuestions(survey).find((q) => q.type === 'nps');

/** The counters one read comment adds, each 1. */
export function commentCountersOf(survey: Survey, { analysis, answers }: Analysed): Record<string, number> {
  const counters: Record<string, number> = {
    [commentCounter.read]: 1,
    [commentCounter.sentiment(analysis.sentiment)]: 1,
  };
  const nps = firstNps(survey);
  const score = nps ? answers[nps.id] : undefined;
  const band = typeof score === 'number' ? npsBand(score) : undefined;
  if (band) counters[commentCounter.band(band)] = 1;
  for (const theme of new Set(analysis.themes)) {
    counters[commentCounter.theme(theme)] = 1;
    if (band) counters[commentCounter.themeBand(theme, band)] = 1;
  }
  return counters;
}

/** The comments' sentiments over a period: how many were read, and how many of each. */
export interface SentimentFigure {
  readonly n: number;
  readonly negative: number;
  readonly neutral: number;
  readonly positive: number;
  /** Share of the comments read, percent, one decimal. */
  readonly negativePct: number | null;
  readonly positivePct: number | null;
}

/** One theme over a period: how often it came up, and what NPS its comments came with against the others'. */
export interface ThemeFigure {
  readonly id: string;
  readonly name: string;
  /** Comments that mention it, and their share of the comments read (percent, one decimal). */
  readonly comments: number;
  readonly sharePct: number | null;
  /** The NPS bands of the mentioning comments given with an NPS answer. */
  readonly bands: Readonly<Record<Band, number>>;
  /**
   * NPS of the comments that mention it and of those that do not (both among comments given with an NPS answer),
   * and the difference (its impact) with the 95% interval of the difference; null without answers on either side.
   */
  readonly npsMentioning: number | null;
  readonly npsOthers: number | null;
  readonly impact: { readonly value: number; readonly ci95: Interval } | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const pct = (part: number, whole: number) => (whole > 0 ? round1((100 * part) / whole) : null);

function summed(days: readonly DayCounters[], from: string, to: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const d of days) {
    if (d.day < from || d.day > to) continue;
    for (const [name, count] of Object.entries(d.counters))
      if (name.startsWith('cm:')) sums.set(name, (sums.get(name) ?? 0) + count);
  }
  return sums;
}

/** NPS bands as the histogram the NPS maths reads: a score per band. */
const histogramOfBands = (b: Readonly<Record<Band, number>>) => ({
  0: b.detractor,
  7: b.passive,
  10: b.promoter,
});

/**
 * The period's sentiment and themes. Themes are the survey's (its own or the default taxonomy), in its order, then
 * any a comment was read for before the survey's themes changed, by id. A survey without an NPS question has no
 * impact figures.
 */
export function commentFiguresOf(
  survey: Survey,
  days: readonly DayCounters[],
  from: string,
  to: string,
  locale: Locale = survey.defaultLocale,
): { readonly sentiment: SentimentFigure; readonly themes: readonly ThemeFigure[] } {
  const sums = summed(days, from, to);
  const get = (name: string) => sums.get(name) ?? 0;
  const n = get(commentCounter.read);
  const [negative, neutral, positive] = SENTIMENTS.map((s) => get(commentCounter.sentiment(s))) as [
    number,
    number,
    number,
  ];
  const sentiment = {
    n,
    negative,
    neutral,
    positive,
    negativePct: pct(negative, n),
    positivePct: pct(positive, n),
  };
  const nps = firstNps(survey);
  const allBands = Object.fromEntries(BANDS.map((b) => [b, get(commentCounter.band(b))])) as Record<
    Band,
    number
  >;
  const declared = themesOf(survey);
  const ids = [...declared.map((t) => t.id)];
  for (const name of sums.keys()) {
    const m = /^cm:t#(.+)$/.exec(name);
    if (m?.[1] && !ids.includes(m[1])) ids.push(m[1]);
  }
  const themes = ids.map((id): ThemeFigure => {
    const theme = declared.find((t) => t.id === id);
    const comments = get(commentCounter.theme(id));
    const bands = Object.fromEntries(BANDS.map((b) => [b, get(commentCounter.themeBand(id, b))])) as Record<
      Band,
      number
    >;
    const others = Object.fromEntries(BANDS.map((b) => [b, allBands[b] - bands[b]])) as Record<Band, number>;
    const mentioning = nps ? estimateOf(nps, histogramOfBands(bands)) : undefined;
    const rest = nps ? estimateOf(nps, histogramOfBands(others)) : undefined;
    const change = mentioning && rest ? changeBetween(mentioning, rest) : null;
    return {
      id,
      name: theme?.name ? localized(theme.name, locale) : id,
      comments,
      sharePct: pct(comments, n),
      bands,
      npsMentioning: mentioning?.score ?? null,
      npsOthers: rest?.score ?? null,
      impact: change
        ? {
            value: round1(change.value),
            ci95: { low: round1(change.ci95.low), high: round1(change.ci95.high) },
          }
        : null,
    };
  });
  return { sentiment, themes };
}
