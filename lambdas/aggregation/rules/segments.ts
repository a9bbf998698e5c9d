import { DAY_MS, dayOf } from '#kernel/days.ts';
import { ValidationError } from '#kernel/errors.ts';
import { changeBetween, estimateOf, type Interval } from '#kernel/metrics.ts';
import { type ScoredQuestion, type Survey, scoredQuestions } from '#kernel/survey.ts';
import { placeText } from '#kernel/visibility.ts';
import * as z from '#kernel/zod.ts';
import type { Segment } from './aggregation.ts';
import {
  type DayCounters,
  type DayRange,
  histogramOf,
  parseSegment,
  WINDOWS,
  type WindowName,
  windowRange,
} from './report.ts';

/**
 * A segment value a survey has seen, with its parent in the survey's hierarchy: the value of the key above it
 * (`city:lima` for `store:s-001`) on the first answer that named it. An answer without the key above gives a value
 * with no parent: it is ranked among all values of its key but found under no parent.
 */
export interface SegmentValue {
  readonly key: string;
  readonly value: string;
  readonly parent?: Segment | undefined;
}

/** The segment values an answer names (its segment keys), each with its parent in the hierarchy. */
export function segmentValuesOf(
  survey: Survey,
  attributes: Readonly<Record<string, string>>,
): SegmentValue[] {
  const out: SegmentValue[] = [];
  for (const key of survey.segmentKeys) {
    const value = attributes[key];
    if (!value) continue;
    const level = survey.hierarchy.indexOf(key);
    const parentKey = level > 0 ? survey.hierarchy[level - 1] : undefined;
    const parentValue = parentKey === undefined ? undefined : attributes[parentKey];
    out.push({
      key,
      value,
      parent: parentKey && parentValue ? { key: parentKey, value: parentValue } : undefined,
    });
  }
  return out;
}

export const segmentText: (s: Segment) => string = placeText;

/** `GET /v1/surveys/{surveyId}/segments?key=store&parent=city:lima&window=30d&question=nps` */
export const segmentsQuery = z.object({
  key: z.optional(
    z
      .string()
      .check(
        z.maxLength(64),
        z.describe(
          "A segment key of the survey. @default the hierarchy's first key (or the first segment key)",
        ),
      ),
  ),
  parent: z.optional(
    z
      .string()
      .check(
        z.maxLength(300),
        z.describe('key:value of the level above: only the values under it'),
        z.meta({ examples: ['city:lima'] }),
      ),
  ),
  window: z._default(z.enum(Object.keys(WINDOWS) as [WindowName]), '30d'),
  question: z.optional(
    z
      .string()
      .check(
        z.maxLength(64),
        z.describe('The scored question ranked. @default the first NPS question, else the first scored one'),
      ),
  ),
});
export type SegmentsQuery = z.infer<typeof segmentsQuery>;

/** `GET /v1/surveys/{surveyId}/segment-values?key=store`: the values a survey has seen of one key. */
export const segmentValuesQuery = z.object({
  key: z.string().check(z.minLength(1), z.maxLength(64), z.describe('A segment key of the survey')),
});
export type SegmentValuesQuery = z.infer<typeof segmentValuesQuery>;

/** A segment key of the survey, or a 400. */
export function segmentKeyOf(survey: Survey, key: string): string {
  if (!survey.segmentKeys.includes(key))
    invalid('key', `not one of the survey's segment keys (${survey.segmentKeys.join(', ')})`);
  return key;
}

/** The key's values as a picker lists them, by value. */
export function valuesOfKey(key: string, values: readonly SegmentValue[]) {
  return {
    key,
    values: values
      .map((v) => ({ value: v.value, parent: v.parent ? segmentText(v.parent) : null }))
      .sort((a, b) => a.value.localeCompare(b.value)),
  };
}

/** The window just before a window of the same length. */
export function previousRange(range: DayRange): DayRange {
  const from = Date.parse(`${range.from}T00:00:00Z`);
  const to = Date.parse(`${range.to}T00:00:00Z`);
  return { from: dayOf(new Date(from - (to - from) - DAY_MS)), to: dayOf(new Date(from - DAY_MS)) };
}

/** What a league table is about, checked against the survey: which key, under which parent, which question. */
export interface LeagueScope {
  readonly key: string;
  readonly parent: Segment | undefined;
  readonly question: ScoredQuestion;
  readonly window: WindowName;
}

function invalid(field: string, message: string): never {
  throw new ValidationError(`${field}: ${message}.`, [{ field, code: 'invalid_value', message }]);
}

export function leagueScopeOf(survey: Survey, query: SegmentsQuery): LeagueScope {
  const first = query.key ?? survey.hierarchy[0] ?? survey.segmentKeys[0];
  if (first === undefined) invalid('key', 'the survey declares no segment keys');
  const key = segmentKeyOf(survey, first);
  let parent: Segment | undefined;
  if (query.parent !== undefined && query.parent !== '') {
    const p = parseSegment(query.parent);
    const level = survey.hierarchy.indexOf(key);
    if (level <= 0 || survey.hierarchy[level - 1] !== p.key)
      invalid('parent', `a ${key} has no parent ${p.key} in the survey's hierarchy`);
    parent = p;
  }
  const scored = scoredQuestions(survey);
  const question =
    query.question === undefined
      ? (scored.find((q) => q.type === 'nps') ?? scored[0])
      : scored.find((q) => q.id === query.question);
  if (!question) invalid('question', 'not a scored question of the survey');
  return { key, parent, question, window: query.window };
}

export interface LeagueRow {
  /** `key:value`, as the metrics route takes it. */
  readonly segment: string;
  readonly value: string;
  readonly n: number;
  readonly score: number | null;
  readonly ci95: Interval | null;
  readonly previous: { readonly n: number; readonly score: number | null };
  /** This window's figure minus the previous window's, with the interval of the difference. */
  readonly change: { readonly value: number; readonly ci95: Interval } | null;
  /** Fewer answers than the survey's `minResponsesToRank`: shown, not ranked, never marked. */
  readonly tooFew: boolean;
  /** The whole interval is on the worse side of the question's target (above it for CES on a high-is-hard scale). */
  readonly belowTarget: boolean;
  /** The change's whole interval is on the worse side of zero: worse than the previous window, beyond chance. */
  readonly belowPrevious: boolean;
  /** 1 for the best figure among the ranked; null when too few. */
  readonly rank: number | null;
}

export interface LeagueTable {
  readonly surveyId: string;
  readonly key: string;
  readonly parent: string | null;
  /** The key one level down, when `key` is in the hierarchy and not its last. */
  readonly childKey: string | null;
  /** From the widest level to the parent: where this table sits in the hierarchy. */
  readonly path: readonly string[];
  readonly hierarchy: readonly string[];
  readonly question: { readonly id: string; readonly type: ScoredQuestion['type'] };
  readonly target: number | null;
  readonly minResponses: number;
  readonly window: WindowName;
  readonly from: string;
  readonly to: string;
  readonly previousWindow: DayRange;
  /** Ranked rows best first, then the rows with too few answers by n. */
  readonly rows: readonly LeagueRow[];
}

const round = (x: number) => Math.round(x * 100) / 100;

/** +1 when a higher figure is better (NPS, CSAT, CES on a high-is-easy scale), -1 for CES on a high-is-hard one. */
export const better = (q: ScoredQuestion) => (q.type === 'ces' && q.direction === 'high-is-hard' ? -1 : 1);

/** The whole interval is on the worse side of the line. */
const clearlyWorse = (q: ScoredQuestion, ci: Interval, line: number) =>
  better(q) > 0 ? ci.high < line : ci.low > line;

/** One row: the segment's figure this window and the window before, marked against the target and its past. */
export function leagueRow(
  survey: Survey,
  scope: LeagueScope,
  value: string,
  days: readonly DayCounters[],
  range: DayRange,
): Omit<LeagueRow, 'rank'> {
  const q = scope.question;
  const before = previousRange(range);
  const now = estimateOf(q, histogramOf(days, q.id, range.from, range.to));
  const then = estimateOf(q, histogramOf(days, q.id, before.from, before.to));
  const change = changeBetween(now, then);
  const tooFew = now.n < survey.minResponsesToRank;
  const target = survey.targets[q.id];
  return {
    segment: segmentText({ key: scope.key, value }),
    value,
    n: now.n,
    score: now.score,
    ci95: now.ci95,
    previous: { n: then.n, score: then.score },
    change: change && {
      value: round(change.value),
      ci95: { low: round(change.ci95.low), high: round(change.ci95.high) },
    },
    tooFew,
    belowTarget: !tooFew && target !== undefined && now.ci95 !== null && clearlyWorse(q, now.ci95, target),
    belowPrevious:
      !tooFew && then.n >= survey.minResponsesToRank && change !== null && clearlyWorse(q, change.ci95, 0),
  };
}

export function leagueTable(
  survey: Survey,
  scope: LeagueScope,
  rows: readonly Omit<LeagueRow, 'rank'>[],
  range: DayRange,
  path: readonly Segment[],
): LeagueTable {
  const sign = better(scope.question);
  const ranked = rows
    .filter((r) => !r.tooFew && r.score !== null)
    .sort((a, b) => sign * ((b.score ?? 0) - (a.score ?? 0)) || b.n - a.n || a.value.localeCompare(b.value))
    .map((r, i) => ({ ...r, rank: i + 1 }));
  const few = rows
    .filter((r) => r.tooFew || r.score === null)
    .sort((a, b) => b.n - a.n || a.value.localeCompare(b.value))
    .map((r) => ({ ...r, rank: null }));
  const level = survey.hierarchy.indexOf(scope.key);
  return {
    surveyId: survey.id,
    key: scope.key,
    parent: scope.parent ? segmentText(scope.parent) : null,
    childKey: level >= 0 ? (survey.hierarchy[level + 1] ?? null) : null,
    path: path.map(segmentText),
    hierarchy: survey.hierarchy,
    question: { id: scope.question.id, type: scope.question.type },
    target: survey.targets[scope.question.id] ?? null,
    minResponses: survey.minResponsesToRank,
    window: scope.window,
    from: range.from,
    to: range.to,
    previousWindow: previousRange(range),
    rows: [...ranked, ...few],
  };
}

/** The window of a league table and the one before it, read as one day range. */
export function leagueDays(window: WindowName, now: Date): { range: DayRange; read: DayRange } {
  const range = windowRange(window, now);
  return { range, read: { from: previousRange(range).from, to: range.to } };
}

/**
 * The path of each place from the catalogue's parents: the place and the places above it, widest first
 * (`region:north`, `city:lima`, `store:s-001`). A place the catalogue does not know, or one whose answers named no
 * place above it, is its own path: only a grant of that place covers it.
 */
export function pathFinder(values: readonly SegmentValue[]): (place: Segment) => Segment[] {
  const parents = new Map(values.map((v) => [segmentText(v), v.parent]));
  return (place) => {
    const path: Segment[] = [place];
    for (let at = parents.get(segmentText(place)); at && path.length < 7; at = parents.get(segmentText(at)))
      path.unshift(at);
    return path;
  };
}

/** Day counters of several places summed day by day, as if one place had had all their answers. */
export function sumDays(perPlace: readonly (readonly DayCounters[])[]): DayCounters[] {
  const byDay = new Map<string, Record<string, number>>();
  for (const days of perPlace)
    for (const { day, counters } of days) {
      const sum = byDay.get(day) ?? {};
      for (const [name, n] of Object.entries(counters)) sum[name] = (sum[name] ?? 0) + n;
      byDay.set(day, sum);
    }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, counters]) => ({ day, counters }));
}
