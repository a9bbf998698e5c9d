import {
  BatchDetectKeyPhrasesCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
} from '@aws-sdk/client-comprehend';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ComprehendAnalyzer } from '#adapters/comprehend-analyzer.ts';
import type { CommentToAnalyze } from '#kernel/analysis.ts';
import { builtinAnalyzer } from '../../support/fakes.ts';

const comprehend = mockClient(ComprehendClient);

/** Comprehend's answer for a batch: every document read as the given sentiment. */
function answerAll(sentiment: 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED') {
  comprehend.on(BatchDetectSentimentCommand).callsFake((input: { TextList: string[] }) => ({
    ResultList: input.TextList.map((_, Index) => ({
      Index,
      Sentiment: sentiment,
      SentimentScore: { Positive: 0.1, Negative: 0.7, Neutral: 0.15, Mixed: 0.05 },
    })),
    ErrorList: [],
  }));
  comprehend.on(BatchDetectKeyPhrasesCommand).callsFake((input: { TextList: string[] }) => ({
    ResultList: input.TextList.map((_, Index) => ({
      Index,
      KeyPhrases: [{ Text: 'La Fila' }, { Text: 'el cajero' }],
    })),
    ErrorList: [],
  }));
}

describe('the Comprehend analyzer', () => {
  beforeEach(() => comprehend.reset());
  const analyzer = () =>
    new ComprehendAnalyzer(new ComprehendClient({ region: 'us-east-1' }), builtinAnalyzer);

  it('reads comments by language, 25 a call, with the survey themes found in the text', async () => {
    answerAll('NEGATIVE');
    const comments: CommentToAnalyze[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ text: `La fila era enorme ${i}`, locale: 'es' as const })),
      { text: 'A fila estava enorme e o atendimento muito ruim', locale: 'es' },
    ];
    const read = await analyzer().analyze(comments);
    expect(read[0]).toEqual({
      sentiment: 'negative',
      confidence: 0.7,
      themes: ['waiting'],
      language: 'es',
      analyzer: 'comprehend',
      phrases: ['la fila', 'el cajero'],
    });
    expect(read[30]).toMatchObject({ language: 'pt', analyzer: 'comprehend', themes: ['staff', 'waiting'] });
    const calls = comprehend.commandCalls(BatchDetectSentimentCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.LanguageCode, c.TextList?.length])).toEqual([
      ['es', 25],
      ['es', 5],
      ['pt', 1],
    ]);
  });

  it("counts Comprehend's mixed as neutral", async () => {
    answerAll('MIXED');
    const [read] = await analyzer().analyze([{ text: 'Bueno pero caro', locale: 'es' }]);
    expect(read).toMatchObject({ sentiment: 'neutral', confidence: 0.05 });
  });

  it('cuts a long comment to the 5,000 bytes Comprehend takes, at a character', async () => {
    answerAll('POSITIVE');
    await analyzer().analyze([{ text: 'ñ'.repeat(4000), locale: 'es' }]);
    const text = comprehend.commandCalls(BatchDetectSentimentCommand)[0]?.args[0].input.TextList?.[0] ?? '';
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(5000);
    expect(text).toBe('ñ'.repeat(2450));
  });

  it('reads with the built-in analyzer what Comprehend could not: a failed call, a document in error', async () => {
    comprehend
      .on(BatchDetectSentimentCommand, { LanguageCode: 'pt' })
      .rejects(new Error('ThrottlingException'));
    comprehend.on(BatchDetectSentimentCommand, { LanguageCode: 'es' }).resolves({
      ResultList: [{ Index: 0, Sentiment: 'POSITIVE', SentimentScore: { Positive: 0.99 } }],
      ErrorList: [{ Index: 1, ErrorCode: 'INTERNAL_SERVER_ERROR' }],
    });
    comprehend.on(BatchDetectKeyPhrasesCommand).resolves({ ResultList: [], ErrorList: [] });
    const errors: unknown[] = [];
    const read = await new ComprehendAnalyzer(
      new ComprehendClient({ region: 'us-east-1' }),
      builtinAnalyzer,
      (e) => errors.push(e),
    ).analyze([
      { text: 'Excelente servicio', locale: 'es' },
      { text: 'Pésimo servicio', locale: 'es' },
      { text: 'Péssimo atendimento, não volto', locale: 'pt' },
    ]);
    expect(read.map((r) => [r.analyzer, r.sentiment])).toEqual([
      ['comprehend', 'positive'],
      ['builtin', 'negative'],
      ['builtin', 'negative'],
    ]);
    expect(errors).toHaveLength(1);
  });
});
