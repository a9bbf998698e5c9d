import { describe, expect, it } from 'vitest';
import { BuiltinAnalyzer } from '#adapters/builtin-analyzer.ts';
import { commentCountersOf, commentFiguresOf } from '#aggregation/rules/comments.ts';
import type { DayCounters } from '#aggregation/rules/counters.ts';
import { recordAnswers, recordResponse } from '#capture/use-cases/record-response.ts';
import type { SentimentModelStore, TrainedModel } from '#insight/ports.ts';
import { analyzeComment } from '#insight/rules/analysis.ts';
import { train } from '#insight/rules/learned.ts';
import type { Analysis } from '#kernel/analysis.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { builtinAnalyzer, fixedClock, MemoryResponseStore, MemorySurveyStore } from '../../support/fakes.ts';

const survey = surveySchema.parse(demoSurvey);

describe('the built-in reading of a comment', () => {
  it('gives its sentiment, its themes and its language, checked against the text', () => {
    expect(analyzeComment({ text: 'Esperamos una hora y la cajera fue grosera', locale: 'es' })).toEqual({
      sentiment: 'negative',
      confidence: expect.any(Number),
      themes: ['staff', 'waiting'],
      language: 'es',
      analyzer: 'builtin',
    });
    // Portuguese written on a Spanish page is read as Portuguese.
    expect(analyzeComment({ text: 'O atendimento foi muito bom, obrigado', locale: 'es' }).language).toBe(
      'pt',
    );
    expect(analyzeComment({ text: 'Gracias', locale: 'es' }).language).toBe('es');
  });

  it("reads the survey's own themes when it has them", () => {
    const themes = [
      { id: 'parking', words: { en: ['parking'], es: ['estacionamiento'], pt: ['estacionamento'] } },
    ];
    expect(
      analyzeComment({ text: 'No había estacionamiento y la espera...', locale: 'es', themes }).themes,
    ).toEqual(['parking']);
  });

  it("reads with a language's learned classifier once one is in use, and the baseline for the others", () => {
    // A deployment whose customers say "chido" for good and "gacho" for bad, which the baseline does not know.
    const labelled = Array.from({ length: 40 }, (_, i) =>
      i % 2
        ? { text: `muy chido todo ${i}`, label: 'positive' as const }
        : { text: `bien gacho ${i}`, label: 'negative' as const },
    );
    const es = train(labelled, 'es');
    // The baseline reads "bien" and misses the slang.
    expect(analyzeComment({ text: 'bien gacho', locale: 'es' }).sentiment).toBe('positive');
    const learned = analyzeComment({ text: 'bien gacho', locale: 'es' }, { es });
    expect(learned).toMatchObject({ sentiment: 'negative', analyzer: 'learned' });
    expect(analyzeComment({ text: 'péssimo', locale: 'pt' }, { es })).toMatchObject({ analyzer: 'builtin' });
  });
});

const reading = (over: Partial<Analysis> = {}): Analysis => ({
  sentiment: 'negative',
  confidence: 0.8,
  themes: ['waiting'],
  language: 'es',
  analyzer: 'builtin',
  questions: ['comment'],
  ...over,
});

describe('what a read comment adds to its aggregates', () => {
  it('counts it, its sentiment, its themes, and its NPS band overall and per theme', () => {
    expect(
      commentCountersOf(survey, { analysis: reading({ themes: ['waiting', 'staff'] }), answers: { nps: 3 } }),
    ).toEqual({
      'cm:n': 1,
      'cm:s#negative': 1,
      'cm:b#detractor': 1,
      'cm:t#waiting': 1,
      'cm:tb#waiting#detractor': 1,
      'cm:t#staff': 1,
      'cm:tb#staff#detractor': 1,
    });
  });

  it('counts no band for a comment given without an NPS answer', () => {
    expect(
      commentCountersOf(survey, { analysis: reading({ sentiment: 'positive' }), answers: { csat: 5 } }),
    ).toEqual({
      'cm:n': 1,
      'cm:s#positive': 1,
      'cm:t#waiting': 1,
    });
  });
});

describe("a period's sentiment and themes", () => {
  const day = (d: string, counters: Record<string, number>): DayCounters => ({ day: d, counters });
  // 100 comments with an NPS: 20 mention waiting (16 detractors, 4 passives); of the other 80, 40 promoters.
  const days = [
    day('2026-11-20', {
      'cm:n': 60,
      'cm:s#negative': 20,
      'cm:s#neutral': 10,
      'cm:s#positive': 30,
      'cm:b#detractor': 16,
      'cm:b#passive': 14,
      'cm:b#promoter': 30,
      'cm:t#waiting': 12,
      'cm:tb#waiting#detractor': 10,
      'cm:tb#waiting#passive': 2,
      'nps#9': 30,
    }),
    day('2026-11-21', {
      'cm:n': 40,
      'cm:s#negative': 10,
      'cm:s#positive': 30,
      'cm:b#detractor': 10,
      'cm:b#passive': 20,
      'cm:b#promoter': 10,
      'cm:t#waiting': 8,
      'cm:tb#waiting#detractor': 6,
      'cm:tb#waiting#passive': 2,
      // A theme the survey no longer has still shows, by its id.
      'cm:t#parking': 3,
    }),
    day('2026-12-30', { 'cm:n': 1000, 'cm:s#negative': 1000 }),
  ];
  const figures = commentFiguresOf(survey, days, '2026-11-01', '2026-11-30');

  it('sums the sentiments of the days within the period', () => {
    expect(figures.sentiment).toEqual({
      n: 100,
      negative: 30,
      neutral: 10,
      positive: 60,
      negativePct: 30,
      positivePct: 60,
    });
  });

  it("gives each theme its share and its impact on NPS: the mentioning comments' NPS against the others'", () => {
    const waiting = figures.themes.find((t) => t.id === 'waiting');
    expect(waiting).toMatchObject({
      name: 'Waiting time',
      comments: 20,
      sharePct: 20,
      bands: { detractor: 16, passive: 4, promoter: 0 },
      npsMentioning: -80,
      // Others: 10 detractors, 30 passives, 40 promoters of 80.
      npsOthers: 37.5,
    });
    expect(waiting?.impact?.value).toBe(-117.5);
    expect(waiting?.impact?.ci95.low).toBeLessThan(-117.5);
    expect(waiting?.impact?.ci95.high).toBeGreaterThan(-117.5);
    expect(waiting?.impact?.ci95.high).toBeLessThan(0);
  });

  it('lists the taxonomy in its order, then themes no longer in it, and none without comments as zero', () => {
    expect(figures.themes.map((t) => t.id)).toEqual([
      'staff',
      'waiting',
      'price',
      'cleanliness',
      'availability',
      'checkout',
      'delivery',
      'product',
      'parking',
    ]);
    expect(figures.themes.find((t) => t.id === 'price')).toMatchObject({
      comments: 0,
      sharePct: 0,
      impact: null,
    });
    expect(figures.themes.find((t) => t.id === 'parking')).toMatchObject({ name: 'parking', comments: 3 });
  });
});

describe('reading the comment as a response comes in', () => {
  const setup = (analyzer = builtinAnalyzer) => {
    const responses = new MemoryResponseStore();
    const errors: unknown[] = [];
    const deps = {
      surveys: new MemorySurveyStore([survey]),
      responses,
      analyzer,
      clock: fixedClock(),
      onAnalysisError: (e: unknown) => errors.push(e),
    };
    return { responses, deps, errors };
  };
  const input = (answers: Record<string, unknown>, submissionId = 'sub-000001') => ({
    surveyId: 'demo',
    submissionId,
    answers,
    attributes: {},
    locale: 'es' as const,
    capturedVia: 'api' as const,
  });

  it('stores the reading with the response, naming the questions it read', async () => {
    const { deps } = setup();
    const { response } = await recordResponse(
      deps,
      input({ nps: 2, csat: 1, ces: 2, comment: 'Pésima atención' }),
    );
    expect(response.analysis).toMatchObject({
      sentiment: 'negative',
      language: 'es',
      questions: ['comment'],
    });
    const plain = await recordResponse(deps, input({ nps: 9, csat: 5, ces: 6 }, 'sub-000002'));
    expect(plain.response).not.toHaveProperty('analysis');
  });

  it('keeps the reading of the first comment of a submission that comes a question at a time', async () => {
    const { deps, responses } = setup();
    await recordAnswers(deps, input({ nps: 3 }));
    expect((await responses.get('demo', 'sub-000001'))?.analysis).toBeUndefined();
    const { response } = await recordAnswers(deps, input({ comment: 'Muy lento todo' }));
    expect(response.analysis).toMatchObject({ themes: ['waiting'], questions: ['comment'] });
    expect((await responses.get('demo', 'sub-000001'))?.analysis?.questions).toEqual(['comment']);
  });

  it('stores the response unread when the reader fails, and says so', async () => {
    const failing = { analyze: () => Promise.reject(new Error('reader down')) };
    const { deps, responses, errors } = setup(failing);
    const { status } = await recordResponse(
      deps,
      input({ nps: 2, csat: 1, ces: 2, comment: 'Pésima atención' }),
    );
    expect(status).toBe('created');
    expect((await responses.get('demo', 'sub-000001'))?.answers.comment).toBe('Pésima atención');
    expect((await responses.get('demo', 'sub-000001'))?.analysis).toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});

describe('the built-in analyzer', () => {
  const es = train(
    Array.from({ length: 40 }, (_, i) =>
      i % 2
        ? { text: `muy chido ${i}`, label: 'positive' as const }
        : { text: `bien gacho ${i}`, label: 'negative' as const },
    ),
    'es',
  );
  const trained = (inUse: boolean): TrainedModel => ({
    language: 'es',
    model: es,
    trainedAt: '2026-12-01T03:00:00Z',
    baseline: { comments: 10, binary: 0.5, macroF1: 0.4 },
    learned: { comments: 10, binary: 0.9, macroF1: 0.8 },
    inUse,
  });

  it('reads with a classifier only while it is in use, and looks again after ten minutes', async () => {
    let stored = [trained(false)];
    let reads = 0;
    const store: SentimentModelStore = {
      all: async () => {
        reads++;
        return stored;
      },
      put: async () => {},
    };
    let now = new Date('2026-12-04T10:00:00Z');
    const analyzer = new BuiltinAnalyzer(store, { now: () => now });
    const read = async () => (await analyzer.analyze([{ text: 'bien gacho', locale: 'es' }]))[0]?.analyzer;
    expect(await read()).toBe('builtin');
    stored = [trained(true)];
    now = new Date('2026-12-04T10:09:00Z');
    expect(await read()).toBe('builtin');
    now = new Date('2026-12-04T10:11:00Z');
    expect(await read()).toBe('learned');
    expect(reads).toBe(2);
  });

  it('goes on with what it has when the classifiers cannot be read', async () => {
    const errors: unknown[] = [];
    const store: SentimentModelStore = {
      all: () => Promise.reject(new Error('throttled')),
      put: async () => {},
    };
    const analyzer = new BuiltinAnalyzer(store, fixedClock(), (e) => errors.push(e));
    expect(await analyzer.analyze([{ text: 'Excelente', locale: 'es' }])).toMatchObject([
      { sentiment: 'positive', analyzer: 'builtin' },
    ]);
    expect(errors).toHaveLength(1);
  });
});
