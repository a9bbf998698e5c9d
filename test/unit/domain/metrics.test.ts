import { describe, expect, it } from 'vitest';
import { ces, csat, type Histogram, nps, wilson } from '#kernel/metrics.ts';
import { surveySchema } from '#kernel/survey.ts';

describe('nps', () => {
  it.each([
    { name: 'no answers', h: {}, score: null, p: 0, pa: 0, d: 0, n: 0 },
    { name: 'all passives', h: { 7: 3, 8: 2 }, score: 0, p: 0, pa: 5, d: 0, n: 5 },
    { name: 'all promoters', h: { 9: 1, 10: 3 }, score: 100, p: 4, pa: 0, d: 0, n: 4 },
    { name: 'all detractors', h: { 0: 2, 6: 2 }, score: -100, p: 0, pa: 0, d: 4, n: 4 },
    { name: 'the 6/7 and 8/9 boundaries', h: { 6: 1, 7: 1, 8: 1, 9: 1 }, score: 0, p: 1, pa: 2, d: 1, n: 4 },
    { name: 'a mixed sample', h: { 10: 5, 9: 1, 8: 2, 3: 2 }, score: 40, p: 6, pa: 2, d: 2, n: 10 },
  ])('counts promoters, passives and detractors when $name', ({ h, score, p, pa, d, n }) => {
    const f = nps(h as Histogram);
    expect(f).toMatchObject({ score, promoters: p, passives: pa, detractors: d, n });
  });

  it('gives a confidence interval from the NPS variance formula when there are answers', () => {
    // p+ = 0.6, p- = 0.2, n = 10: var = (0.8 - 0.16) / 10 = 0.064; se = 25.3; 95% = 40 +- 49.6
    const f = nps({ 10: 6, 8: 2, 3: 2 });
    expect(f.ci95?.low).toBeCloseTo(-9.6, 1);
    expect(f.ci95?.high).toBeCloseTo(89.6, 1);
  });

  it('clamps the interval to -100..100 when the sample is tiny', () => {
    expect(nps({ 10: 1, 0: 1 }).ci95).toEqual({ low: -100, high: 100 });
  });
});

describe('csat', () => {
  it.each([
    { h: {}, score: null, n: 0 },
    { h: { 4: 1, 5: 1, 3: 2 }, score: 50, n: 4 },
    { h: { 1: 1, 2: 1, 3: 1 }, score: 0, n: 3 },
    { h: { 5: 3 }, score: 100, n: 3 },
  ])('is the top-2-box share when the histogram is $h', ({ h, score, n }) => {
    expect(csat(h as Histogram)).toMatchObject({ score, n });
  });
});

describe('wilson', () => {
  it('matches the textbook interval for 8 of 10', () => {
    expect(wilson(8, 10)).toEqual({ low: 49, high: 94.3 });
  });
  it('stays inside 0..100 when every answer succeeds', () => {
    const ci = wilson(5, 5);
    expect(ci?.high).toBe(100);
    expect(ci?.low).toBeGreaterThan(0);
  });
});

describe('ces', () => {
  const question = (scale: 5 | 7, direction: 'high-is-easy' | 'high-is-hard') =>
    surveySchema.parse({
      id: 's',
      title: { en: 't' },
      questions: [{ id: 'ces', type: 'ces', scale, direction, text: { en: 'q' } }],
    }).questions[0] as Parameters<typeof ces>[0];

  it.each([
    { scale: 7, direction: 'high-is-easy', h: { 7: 1, 5: 1, 4: 1, 1: 1 }, low: 2, mean: 4.25 },
    { scale: 5, direction: 'high-is-easy', h: { 5: 1, 4: 1, 3: 1, 1: 1 }, low: 2, mean: 3.25 },
    { scale: 5, direction: 'high-is-hard', h: { 1: 2, 2: 1, 5: 1 }, low: 3, mean: 2.25 },
    { scale: 7, direction: 'high-is-hard', h: { 1: 1, 3: 1, 4: 1, 7: 1 }, low: 2, mean: 3.75 },
  ] as const)(
    'counts low effort on its own scale and direction ($scale points, $direction)',
    ({ scale, direction, h, low, mean }) => {
      const f = ces(question(scale, direction), h as unknown as Histogram);
      expect(f).toMatchObject({ lowEffort: low, mean, n: 4, scale, direction });
    },
  );

  it('has no mean when there are no answers', () => {
    expect(ces(question(7, 'high-is-easy'), {})).toMatchObject({ mean: null, n: 0, lowEffortPct: null });
  });
});
