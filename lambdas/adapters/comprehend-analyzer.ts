import {
  BatchDetectKeyPhrasesCommand,
  BatchDetectSentimentCommand,
  type ComprehendClient,
  type SentimentScore,
} from '@aws-sdk/client-comprehend';
import type { CommentAnalyzer } from '#capture/ports.ts';
import { languageOf } from '#insight/rules/text.ts';
import { mentionsIn, themesOf } from '#insight/rules/themes.ts';
import type { CommentAnalysis, CommentToAnalyze, Sentiment } from '#kernel/analysis.ts';
import { fold } from '#kernel/fold.ts';
import type { Locale } from '#kernel/survey.ts';

/** Comprehend's batch calls take at most 25 documents of at most 5,000 bytes each. */
const BATCH = 25;
const MAX_BYTES = 4_900;

/** The text cut to Comprehend's size limit, at a character, not inside one. */
function withinLimit(text: string): string {
  if (Buffer.byteLength(text) <= MAX_BYTES) return text;
  let cut = text.slice(0, MAX_BYTES);
  while (Buffer.byteLength(cut) > MAX_BYTES) cut = cut.slice(0, -1);
  return cut;
}

const SENTIMENT_OF: Readonly<Record<string, Sentiment>> = {
  POSITIVE: 'positive',
  NEGATIVE: 'negative',
  NEUTRAL: 'neutral',
  // Comprehend's MIXED (good and bad said) counts as neutral: the three sentiments are the contract's.
  MIXED: 'neutral',
};

function confidenceOf(sentiment: string, score: SentimentScore | undefined): number {
  const value =
    sentiment === 'POSITIVE'
      ? score?.Positive
      : sentiment === 'NEGATIVE'
        ? score?.Negative
        : sentiment === 'MIXED'
          ? score?.Mixed
          : score?.Neutral;
  return Math.round((value ?? 0) * 1000) / 1000;
}

/**
 * Amazon Comprehend, opt-in per deployment (PULSO_ANALYZER=comprehend): sentiment and key phrases by
 * BatchDetectSentiment and BatchDetectKeyPhrases, the comments grouped by language, 25 a call. Themes are the
 * survey's taxonomy found in the text, as with the built-in analyzer, so that switching analyzers does not move
 * the theme figures. A comment Comprehend could not read (an error, throttling past the SDK's retries) is read by
 * the built-in analyzer, so none is left unread.
 */
export class ComprehendAnalyzer implements CommentAnalyzer {
  constructor(
    private readonly client: ComprehendClient,
    private readonly fallback: CommentAnalyzer,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async analyze(comments: readonly CommentToAnalyze[]): Promise<CommentAnalysis[]> {
    const read: (CommentAnalysis | undefined)[] = comments.map(() => undefined);
    const byLanguage = new Map<Locale, number[]>();
    comments.forEach((c, i) => {
      const language = languageOf(c.text, c.locale);
      byLanguage.set(language, [...(byLanguage.get(language) ?? []), i]);
    });
    for (const [language, indices] of byLanguage)
      for (let start = 0; start < indices.length; start += BATCH) {
        const batch = indices.slice(start, start + BATCH);
        try {
          await this.readBatch(comments, batch, language, read);
        } catch (err) {
          this.onError(err);
        }
      }
    const unread = read.flatMap((r, i) => (r ? [] : [i]));
    if (unread.length > 0) {
      const fallback = await this.fallback.analyze(unread.map((i) => comments[i] as CommentToAnalyze));
      unread.forEach((i, k) => {
        read[i] = fallback[k];
      });
    }
    return read as CommentAnalysis[];
  }

  private async readBatch(
    comments: readonly CommentToAnalyze[],
    batch: readonly number[],
    language: Locale,
    read: (CommentAnalysis | undefined)[],
  ) {
    const TextList = batch.map((i) => withinLimit((comments[i] as CommentToAnalyze).text));
    const [sentiments, phrases] = await Promise.all([
      this.client.send(new BatchDetectSentimentCommand({ TextList, LanguageCode: language })),
      this.client.send(new BatchDetectKeyPhrasesCommand({ TextList, LanguageCode: language })),
    ]);
    const phrasesAt = new Map<number, string[]>();
    for (const r of phrases.ResultList ?? [])
      if (r.Index !== undefined)
        phrasesAt.set(
          r.Index,
          (r.KeyPhrases ?? []).flatMap((p) => (p.Text ? [fold(p.Text).slice(0, 100)] : [])).slice(0, 10),
        );
    for (const r of sentiments.ResultList ?? []) {
      const sentiment = r.Sentiment !== undefined ? SENTIMENT_OF[r.Sentiment] : undefined;
      const i = r.Index !== undefined ? batch[r.Index] : undefined;
      if (!sentiment || i === undefined || !r.Sentiment || r.Index === undefined) continue;
      const comment = comments[i] as CommentToAnalyze;
      read[i] = {
        sentiment,
        confidence: confidenceOf(r.Sentiment, r.SentimentScore),
        themes: mentionsIn(comment.text, language, themesOf(comment)).map((m) => m.theme),
        language,
        analyzer: 'comprehend',
        phrases: phrasesAt.get(r.Index) ?? [],
      };
    }
  }
}
