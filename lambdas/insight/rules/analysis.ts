import type { CommentAnalysis, CommentToAnalyze } from '#kernel/analysis.ts';
import type { Locale } from '#kernel/survey.ts';
import { type LearnedModel, learnedSentiment } from './learned.ts';
import { baselineSentiment } from './sentiment.ts';
import { languageOf } from './text.ts';
import { mentionsIn, themesOf } from './themes.ts';

/** The deployment's learned classifiers in use, by language (a language without one reads with the baseline). */
export type ModelsInUse = Readonly<Partial<Record<Locale, LearnedModel>>>;

/**
 * The built-in reading of a comment: its language (the locale, unless the text is plainly in another), its
 * sentiment by the deployment's learned classifier for that language when one is in use, else by the baseline,
 * and the survey's themes it mentions (a negated mention still talks about the theme: "no tuve que esperar").
 */
export function analyzeComment(comment: CommentToAnalyze, models: ModelsInUse = {}): CommentAnalysis {
  const language = languageOf(comment.text, comment.locale);
  const model = models[language];
  const reading = model ? learnedSentiment(model, comment.text) : baselineSentiment(comment.text, language);
  return {
    sentiment: reading.sentiment,
    confidence: Math.round(reading.confidence * 1000) / 1000,
    themes: mentionsIn(comment.text, language, themesOf(comment)).map((m) => m.theme),
    language,
    analyzer: model ? 'learned' : 'builtin',
  };
}
