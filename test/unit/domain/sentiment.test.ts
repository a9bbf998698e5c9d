import { describe, expect, it } from 'vitest';
import { accuracyOf } from '#insight/rules/accuracy.ts';
import { featuresOf, judge, learnedSentiment, sentimentOfScore, train } from '#insight/rules/learned.ts';
import { baselineSentiment, type Sentiment } from '#insight/rules/sentiment.ts';
import { languageOf, tokensOf, undiminished } from '#insight/rules/text.ts';
import type { Locale } from '#kernel/survey.ts';

const read = (text: string, language: Locale) => baselineSentiment(text, language).sentiment;

describe('the baseline sentiment of a comment', () => {
  it.each<[string, Locale, Sentiment]>([
    // Plain words, with and without accents.
    ['Excelente atención, muy amables', 'es', 'positive'],
    ['excelente atencion muy amables', 'es', 'positive'],
    ['Pésimo servicio', 'es', 'negative'],
    ['pesimo servicio', 'es', 'negative'],
    ['Ótimo atendimento', 'pt', 'positive'],
    ['otimo atendimento', 'pt', 'positive'],
    ['The staff were lovely', 'en', 'positive'],
    ['Terrible wait at the till', 'en', 'negative'],
    // Negation turns a word around, within a few words, and only the first it reaches.
    ['No me gustó', 'es', 'negative'],
    ['no me gustó nada', 'es', 'negative'],
    ['nada mal', 'es', 'positive'],
    ['no está mal', 'es', 'positive'],
    ['não foi ruim', 'pt', 'positive'],
    ['não gostei do atendimento', 'pt', 'negative'],
    ['nunca tive problemas, boa loja', 'pt', 'positive'],
    ['not bad at all', 'en', 'positive'],
    ['The cashier was not friendly', 'en', 'negative'],
    ["didn't like the new layout", 'en', 'negative'],
    ['para nada recomendable', 'es', 'negative'],
    ['poco amable', 'es', 'negative'],
    // Phrases, with their own negation read once.
    ['no vale la pena', 'es', 'negative'],
    ['vale la pena', 'es', 'positive'],
    ['não recebi o pedido', 'pt', 'negative'],
    ['chegou antes do prazo', 'pt', 'positive'],
    ["don't waste your money", 'en', 'negative'],
    ['no problem, sorted in minutes', 'en', 'positive'],
    // "But" weighs what follows it.
    ['muy amable pero tardaron muchísimo', 'es', 'negative'],
    ['un poco lento pero muy amable', 'es', 'positive'],
    ['produto bom, mas atrasou', 'pt', 'negative'],
    ['Slow, but the staff were great', 'en', 'positive'],
    // Emoji and faces typed as text, slang.
    ['😡😡', 'es', 'negative'],
    ['👍', 'pt', 'positive'],
    ['ok :(', 'en', 'negative'],
    ['top demais', 'pt', 'positive'],
    ['chévere la atención', 'es', 'positive'],
    ['chegou rapidinho', 'pt', 'positive'],
    // Nothing said either way.
    ['Compré dos camisas', 'es', 'neutral'],
    ['', 'en', 'neutral'],
  ])('reads "%s" (%s) as %s', (text, language, sentiment) => {
    expect(read(text, language)).toBe(sentiment);
  });

  it('reads an intensified, shouted or exclaimed word as stronger', () => {
    const p = (t: string, l: Locale) => baselineSentiment(t, l).polarity;
    expect(p('muy bueno', 'es')).toBeGreaterThan(p('bueno', 'es'));
    expect(p('um pouco lento', 'pt')).toBeGreaterThan(p('lento', 'pt'));
    expect(p('GREAT', 'en')).toBeGreaterThan(p('great', 'en'));
    expect(p('great!!!', 'en')).toBeGreaterThan(p('great', 'en'));
    expect(p('not bad', 'en')).toBeLessThan(p('good', 'en'));
  });

  it('is as sure as the evidence: half sure of a comment with no weighed word, more of a strong one', () => {
    expect(baselineSentiment('Compré dos camisas', 'es').confidence).toBe(0.5);
    expect(baselineSentiment('horrible, horrible, horrible', 'en').confidence).toBeGreaterThan(0.9);
  });
});

describe('the text a comment is read as', () => {
  it('keeps a contraction, an emoji sequence and a face as one token each, and marks the clause breaks', () => {
    const kinds = tokensOf("Didn't work 👍🏽 :) ok, fine.", 'en').map((t) =>
      t.kind === 'word' ? t.word : t.kind === 'emoji' ? t.emoji : t.comma ? ',' : '.',
    );
    expect(kinds).toEqual(["didn't", 'work', '👍', ':)', 'ok', ',', 'fine', '.']);
  });

  it('takes a diminutive for its word in Spanish and Portuguese only', () => {
    expect(undiminished('rapidinho', 'pt')).toBe('rapido');
    expect(undiminished('rapidito', 'es')).toBe('rapido');
    expect(undiminished('rapidito', 'en')).toBeUndefined();
    expect(undiminished('lindo', 'pt')).toBeUndefined();
  });

  it.each<[string, Locale, Locale]>([
    ['The staff was very friendly and the store was clean', 'es', 'en'],
    ['La atención fue muy buena pero el local estaba sucio', 'pt', 'es'],
    ['O atendimento foi muito bom mas a loja estava suja', 'es', 'pt'],
    ['ok', 'pt', 'pt'],
    ['muy bien', 'en', 'en'],
  ])('reads "%s" with locale %s as %s', (text, locale, language) => {
    expect(languageOf(text, locale)).toBe(language);
  });
});

describe('the sentiment a score stands for', () => {
  it.each([
    [{ type: 'nps' } as const, 6, 'negative'],
    [{ type: 'nps' } as const, 7, 'neutral'],
    [{ type: 'nps' } as const, 8, 'neutral'],
    [{ type: 'nps' } as const, 9, 'positive'],
    [{ type: 'csat' } as const, 2, 'negative'],
    [{ type: 'csat' } as const, 3, 'neutral'],
    [{ type: 'csat' } as const, 4, 'positive'],
    [{ type: 'ces', scale: 7, direction: 'high-is-easy' } as const, 1, 'negative'],
    [{ type: 'ces', scale: 7, direction: 'high-is-easy' } as const, 7, 'positive'],
    [{ type: 'ces', scale: 7, direction: 'high-is-hard' } as const, 7, 'negative'],
  ])('%o scored %i is %s', (q, score, sentiment) => {
    // biome-ignore lint/suspicious/noExplicitAny: only the fields the bands read
    expect(sentimentOfScore({ id: 'q', ...q } as any, score)).toBe(sentiment);
  });
});

/** A deployment whose customers praise "fila" (the queue) and curse "provador" (the fitting room). */
const ownWords = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    i % 3 === 0
      ? { text: `provador ${i % 7 ? 'de novo' : 'outra vez'}`, label: 'negative' as const }
      : i % 3 === 1
        ? { text: `fila ${i % 5 ? 'andou' : 'andou rápido'}`, label: 'positive' as const }
        : { text: `comprei ${i % 2 ? 'uma calça' : 'um casaco'}`, label: 'neutral' as const },
  );

describe('a deployment’s learned classifier', () => {
  it('learns words the baseline does not know, from comments labelled by their scores', () => {
    const model = train(ownWords(90), 'pt');
    expect(learnedSentiment(model, 'provador de novo').sentiment).toBe('negative');
    expect(learnedSentiment(model, 'fila andou').sentiment).toBe('positive');
    expect(baselineSentiment('provador de novo', 'pt').sentiment).toBe('neutral');
    expect(model.trainedOn).toBe(90);
  });

  it('keeps only features seen twice, and learns the same model from the same comments', () => {
    const comments = [...ownWords(30), { text: 'xylofone', label: 'positive' as const }];
    const model = train(comments, 'pt');
    expect(model.weights.xylofon).toBeUndefined();
    expect(model.weights.provador).toBeDefined();
    expect(train(comments, 'pt')).toEqual(model);
  });

  it('reads a comment of words that name an object’s own properties like any other', () => {
    const model = train([...ownWords(30), { text: 'constructor toString', label: 'neutral' as const }], 'en');
    const reading = learnedSentiment(model, 'constructor valueOf hasOwnProperty __proto__');
    expect(Number.isFinite(reading.polarity)).toBe(true);
    expect(reading.confidence).toBeGreaterThan(0);
  });

  it('reads negated words apart from the words themselves', () => {
    const f = featuresOf('no fue rápido', 'es');
    expect(f.has('!rap')).toBe(true);
    expect(f.has('rap')).toBe(false);
    expect([...featuresOf('fue rápido', 'es').keys()]).toContain('rap');
  });

  it('is used only once it beats the baseline on the held-back comments', () => {
    const model = train(ownWords(90), 'pt');
    const won = judge(model, ownWords(30));
    expect(won.useLearned).toBe(true);
    expect(won.learned.binary).toBeGreaterThan(won.baseline.binary);
    // On comments the baseline reads well and the model never saw, the model does not win.
    const plain = [
      { text: 'ótimo atendimento', label: 'positive' as const },
      { text: 'péssimo, não volto', label: 'negative' as const },
      { text: 'adorei a loja', label: 'positive' as const },
      { text: 'horrível', label: 'negative' as const },
    ];
    expect(judge(model, plain).useLearned).toBe(false);
    expect(judge(model, []).useLearned).toBe(false);
  });
});

describe('accuracy against labels', () => {
  it('scores binary accuracy on negative and positive only, by the lean, and macro-F1 on the three classes', () => {
    const a = accuracyOf([
      { label: 'positive', sentiment: 'positive', polarity: 0.8 },
      { label: 'negative', sentiment: 'neutral', polarity: -0.1 },
      { label: 'negative', sentiment: 'positive', polarity: 0.3 },
      { label: 'neutral', sentiment: 'neutral', polarity: 0 },
    ]);
    expect(a.binary).toBeCloseTo(2 / 3);
    // F1: positive 2/3, neutral 2/3, negative 0.
    expect(a.macroF1).toBeCloseTo(4 / 9);
  });
});
