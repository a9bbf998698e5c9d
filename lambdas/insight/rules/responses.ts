import { ALL, type Segment } from '#aggregation/rules/aggregation.ts';
import { parseSegment, WINDOWS, type WindowName, windowRange } from '#aggregation/rules/report.ts';
import type { Answer, ResponseRecord } from '#capture/rules/response.ts';
import { type CommentAnalysis, SENTIMENTS, type Sentiment } from '#kernel/analysis.ts';
import { BANDS_OF, type ScoreBand } from '#kernel/bands.ts';
import { dayOf } from '#kernel/days.ts';
import { ValidationError } from '#kernel/errors.ts';
import { fold } from '#kernel/fold.ts';
import { scoreBand } from '#kernel/metrics.ts';
import { type ScoredQuestion, type Survey, scoredQuestions } from '#kernel/survey.ts';
import { themesOf } from '#kernel/themes.ts';
import * as z from '#kernel/zod.ts';

const SCORE_BANDS = Object.values(BANDS_OF).flat() as [ScoreBand, ...ScoreBand[]];

const daySchema = z.iso.date().check(z.meta({ examples: ['2026-11-01'] }));

/** The period and the place a reader asks for: the listing's, and the export's. */
export const periodFields = {
  window: z._default(z.enum(Object.keys(WINDOWS) as [WindowName]), '30d'),
  from: z.optional(
    daySchema.check(z.describe('First UTC day (included); with `to`, in place of the window')),
  ),
  to: z.optional(daySchema.check(z.describe('Last UTC day (included). @default today'))),
  segment: z.optional(z.string().check(z.maxLength(300), z.meta({ examples: ['store:s-001'] }))),
};

/** `GET /v1/surveys/{surveyId}/responses`: the responses with a comment, newest first. */
export const responsesQuery = z.object({
  ...periodFields,
  band: z.optional(z.enum(SCORE_BANDS).check(z.describe('Only answers in this band of `question`'))),
  question: z.optional(
    z
      .string()
      .check(
        z.maxLength(64),
        z.describe("The scored question `band` reads. @default the survey's first question with that band"),
      ),
  ),
  q: z.optional(
    z
      .string()
      .check(
        z.maxLength(200),
        z.describe('Words the comment holds, each of them, in any order; case and accents ignored'),
      ),
  ),
  theme: z.optional(
    z
      .string()
      .check(
        z.maxLength(64),
        z.describe('Only comments that mention this theme (its id: `staff`, `waiting`...)'),
      ),
  ),
  sentiment: z.optional(
    z.enum(SENTIMENTS).check(z.describe('Only comments read as negative, neutral or positive')),
  ),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});
export type ResponsesQuery = z.output<typeof responsesQuery>;

/** `GET /v1/surveys/{surveyId}/phrases`: a window (ending today) and a place. */
export const phrasesQuery = z.object({ window: periodFields.window, segment: periodFields.segment });

/** What a listing keeps: responses received within [from, to] (UTC days) that pass every test given. */
export interface ResponseFilter extends Period {
  readonly band?: { readonly question: ScoredQuestion; readonly band: ScoreBand } | undefined;
  /** The search's words, folded (foldText). */
  readonly words: readonly string[];
  readonly theme?: string | undefined;
  readonly sentiment?: Sentiment | undefined;
}

/** Lower case without accents: "Atención" and "atencion" are one word to a search. */
export const foldText = fold;

const invalid = (field: string, message: string, detail: string) =>
  new ValidationError(message, [{ field, code: 'invalid', message: detail }]);

/** A period of UTC days (both included) and a place of the survey. */
export interface Period {
  readonly from: string;
  readonly to: string;
  readonly segment: Segment;
}

/** The days and place asked for: 400 for a range that ends before it starts or a key the survey has not. */
export function periodOf(
  survey: Survey,
  query: {
    window: WindowName;
    from?: string | undefined;
    to?: string | undefined;
    segment?: string | undefined;
  },
  now: Date,
): Period {
  const to = query.to ?? dayOf(now);
  // Without `from`, the window that ends on `to`.
  const from = query.from ?? windowRange(query.window, new Date(`${to}T12:00:00Z`)).from;
  if (from > to) throw invalid('from', 'The range ends before it starts.', 'from must be on or before to');
  return { from, to, segment: segmentOf(survey, query.segment) };
}

/** `key:value` of one of the survey's segment keys, or ALL when absent; 400 for a key the survey has not. */
export function segmentOf(survey: Survey, raw: string | undefined): Segment {
  const segment = parseSegment(raw);
  if (segment !== ALL && !survey.segmentKeys.includes(segment.key)) {
    throw invalid('segment', `The survey has no segment key "${segment.key}".`, 'not one of segmentKeys');
  }
  return segment;
}

/** The filter a query asks for on this survey; 400 for a segment key, question or band the survey has not. */
export function responseFilterOf(survey: Survey, query: ResponsesQuery, now: Date): ResponseFilter {
  return {
    ...periodOf(survey, query, now),
    band: query.band === undefined ? undefined : bandFilterOf(survey, query.band, query.question),
    words: foldText(query.q ?? '')
      .split(/\s+/u)
      .filter((w) => w.length > 0),
    theme: query.theme === undefined ? undefined : themeOf(survey, query.theme),
    sentiment: query.sentiment,
  };
}

function themeOf(survey: Survey, id: string): string {
  if (themesOf(survey).some((t) => t.id === id)) return id;
  throw invalid('theme', `The survey has no theme "${id}".`, "not one of the survey's themes");
}

function bandFilterOf(survey: Survey, band: ScoreBand, questionId: string | undefined) {
  const typed = scoredQuestions(survey).filter((q) => (BANDS_OF[q.type] as readonly string[]).includes(band));
  const question = questionId === undefined ? typed[0] : typed.find((q) => q.id === questionId);
  if (question) return { question, band };
  throw questionId === undefined
    ? invalid('band', `The survey has no question with a "${band}" band.`, 'no question has this band')
    : invalid('question', `"${questionId}" is not a scored question with a "${band}" band.`, 'no such band');
}

/** What a customer wrote: the response's text answers, in the survey's order of questions. */
export function commentsOf(survey: Survey, answers: Readonly<Record<string, Answer>>): string[] {
  const texts = survey.questions.flatMap((q) => {
    const a = answers[q.id];
    return q.type === 'text' && typeof a === 'string' ? [a] : [];
  });
  // Text answers to questions the survey no longer has are comments too.
  const known = new Set(survey.questions.map((q) => q.id));
  const others = Object.entries(answers).flatMap(([id, a]) =>
    !known.has(id) && typeof a === 'string' ? [a] : [],
  );
  return [...texts, ...others];
}

/** Does the response pass the filter? The range is the index's to apply; this reads the rest. */
export function responseMatches(survey: Survey, filter: ResponseFilter, r: ResponseRecord): boolean {
  if (filter.segment !== ALL && r.attributes[filter.segment.key] !== filter.segment.value) return false;
  if (filter.band) {
    const score = r.answers[filter.band.question.id];
    if (typeof score !== 'number' || scoreBand(filter.band.question, score) !== filter.band.band)
      return false;
  }
  if (filter.theme !== undefined && !r.analysis?.themes.includes(filter.theme)) return false;
  if (filter.sentiment !== undefined && r.analysis?.sentiment !== filter.sentiment) return false;
  if (filter.words.length === 0) return true;
  const text = foldText(commentsOf(survey, r.answers).join('\n'));
  return filter.words.every((w) => text.includes(w));
}

/** A comment's reading as the listing gives it. */
export type CommentReading = Pick<
  CommentAnalysis,
  'sentiment' | 'confidence' | 'themes' | 'language' | 'analyzer'
>;

export const readingOf = (a: CommentAnalysis | undefined): CommentReading | undefined =>
  a && {
    sentiment: a.sentiment,
    confidence: a.confidence,
    themes: a.themes,
    language: a.language,
    analyzer: a.analyzer,
  };

/** A scored answer with its band, as a reader shows it. */
export interface BandedScore {
  readonly questionId: string;
  readonly type: ScoredQuestion['type'];
  readonly score: number;
  readonly band: ScoreBand;
}

/** The response's scored answers in the survey's order of questions, each with its band. */
export function scoresOf(survey: Survey, answers: Readonly<Record<string, Answer>>): BandedScore[] {
  return scoredQuestions(survey).flatMap((q) => {
    const score = answers[q.id];
    return typeof score === 'number'
      ? [{ questionId: q.id, type: q.type, score, band: scoreBand(q, score) }]
      : [];
  });
}

/** A response as the listing gives it, with the case it opened (if any). */
export interface ListedResponse extends Omit<ResponseRecord, 'contentHash' | 'analysis'> {
  readonly comments: readonly string[];
  /** What its comment says, once read (the contract's five fields). */
  readonly analysis?: CommentReading | undefined;
  readonly scores: readonly BandedScore[];
  readonly case?: { readonly caseId: string; readonly status: string } | undefined;
}

export interface ResponsePage {
  readonly surveyId: string;
  readonly from: string;
  readonly to: string;
  readonly items: readonly ListedResponse[];
  /** Where the next page starts; absent at the end of the range. */
  readonly cursor?: string | undefined;
  /** How far back this page looked (receivedAt of the last response read): a search may read past few matches. */
  readonly readTo?: string | undefined;
}
