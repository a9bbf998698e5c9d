import { type Locale, localeSchema, type Survey } from './survey.ts';
import * as z from './zod.ts';

/** What a comment says, worst first. */
export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

/**
 * Who read a comment: the built-in baseline (lexicons and rules per language), the deployment's own classifier
 * learned from its customers' scores, or Amazon Comprehend (opt-in per deployment).
 */
export const ANALYZERS = ['builtin', 'learned', 'comprehend'] as const;
export type AnalyzerName = (typeof ANALYZERS)[number];

/** What was read in a response's comment (docs/insight.md): the contract's `analysis`. */
export const commentAnalysisSchema = z.object({
  sentiment: z.enum(SENTIMENTS),
  /** How sure the reading is, 0 to 1: the chance the reader gives its sentiment (Comprehend's own score). */
  confidence: z.number().check(z.gte(0), z.lte(1)),
  /** The ids of the survey's themes the comment talks about, in the survey's order. */
  themes: z.array(z.string()).check(z.maxLength(40)),
  /** The comment's language: its response's locale unless the text is plainly in another. */
  language: localeSchema,
  analyzer: z.enum(ANALYZERS),
  /** The comment's key phrases, folded, at most 10 (emerging phrases are found among them). */
  phrases: z.optional(z.array(z.string().check(z.maxLength(100))).check(z.maxLength(10))),
});
export type CommentAnalysis = z.infer<typeof commentAnalysisSchema>;

/**
 * A response's analysis as stored: the comment's reading and the text questions it read. A submission that comes a
 * question at a time is read once, with its first comment; `questions` lets the stream's readers count the reading
 * with the write that brought it.
 */
export const analysisSchema = z.object({
  ...commentAnalysisSchema.shape,
  questions: z.array(z.string()).check(z.minLength(1)),
});
export type Analysis = z.infer<typeof analysisSchema>;

/** Whether a write that added these questions brought the reading (it read one of them): it counts with that write. */
export const broughtBy = (analysis: Analysis | undefined, added: Iterable<string>): analysis is Analysis => {
  const adds = new Set(added);
  return analysis?.questions.some((q) => adds.has(q)) === true;
};

/** A comment to read: its text, its response's locale, and the survey's themes (absent: the default taxonomy). */
export interface CommentToAnalyze {
  readonly text: string;
  readonly locale: Locale;
  readonly themes?: Survey['themes'];
}
