import { describe, expect, it } from 'vitest';
import { ALL, counterName } from '#aggregation/rules/aggregation.ts';
import { buildReport, type DayCounters, windowRange } from '#aggregation/rules/report.ts';
import { nps } from '#kernel/metrics.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';

const survey = surveySchema.parse(demoSurvey);

/** A day's counters from answers per question, e.g. `{ nps: [10, 10, 3] }`. */
const day = (date: string, answers: Record<string, number[]>): DayCounters => {
  const counters: Record<string, number> = {};
  for (const [question, scores] of Object.entries(answers))
    for (const s of scores)
      counters[counterName(question, s)] = (counters[counterName(question, s)] ?? 0) + 1;
  return { day: date, counters };
};

// 2026-11-30 is a Monday; the 30-day window to 2026-12-02 starts on 2026-11-03, a Tuesday.
const range = windowRange('30d', new Date('2026-12-02T12:00:00Z'));
const days = [
  day('2026-11-03', { nps: [10, 9] }),
  day('2026-11-08', { nps: [0] }),
  day('2026-11-09', { nps: [10], csat: [5, 2] }),
  day('2026-11-30', { nps: [7, 8, 9, 10] }),
  day('2026-12-02', { nps: [1] }),
];

describe('the metrics report', () => {
  it('gives every point of each scale in the distribution, zeros included, summing to n', () => {
    const report = buildReport(survey, '30d', range, ALL, days);
    const npsShape = report.questions.nps?.distribution;
    expect(npsShape?.map((d) => d.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(npsShape?.find((d) => d.score === 10)?.count).toBe(3);
    expect(npsShape?.reduce((sum, d) => sum + d.count, 0)).toBe(report.nps?.n);
    expect(report.questions.csat?.distribution).toEqual(
      [1, 2, 3, 4, 5].map((score) => ({
        score,
        count: score === 5 || score === 2 ? 1 : 0,
        band: score >= 4 ? 'satisfied' : 'dissatisfied',
      })),
    );
    expect(npsShape?.map((d) => d.band)).toEqual([
      ...Array(7).fill('detractor'),
      'passive',
      'passive',
      'promoter',
      'promoter',
    ]);
    // The demo's effort question: 7 points, high is easy.
    expect(report.questions.ces?.distribution.map((d) => d.band)).toEqual([
      ...Array(3).fill('high-effort'),
      'neutral-effort',
      ...Array(3).fill('low-effort'),
    ]);
    // The headline figures stay as they were: no distribution in them.
    expect(report.nps).not.toHaveProperty('distribution');
  });

  it('gives a trend point per day with answers, each with its n and interval', () => {
    const report = buildReport(survey, '30d', range, ALL, days, 'day');
    expect(report.trendStep).toBe('day');
    expect(report.trend.map((t) => t.day)).toEqual(days.map((d) => d.day));
    const first = report.trend[0]?.questions.nps;
    expect(first).toEqual({ n: 2, score: 100, ci95: nps({ 10: 1, 9: 1 }).ci95 });
    expect(report.trend[0]?.questions.csat).toEqual({ n: 0, score: null, ci95: null });
  });

  it('cuts weeks from Monday to Sunday, the first one from the window start, pooling their answers', () => {
    const report = buildReport(survey, '30d', range, ALL, days, 'week');
    expect(report.trendStep).toBe('week');
    // The 3rd (Tuesday) and the 8th (Sunday) share a week that the window starts on the 3rd; the 9th is a Monday.
    expect(report.trend.map((t) => t.day)).toEqual(['2026-11-03', '2026-11-09', '2026-11-30']);
    expect(report.trend[0]?.questions.nps).toEqual({ n: 3, ...pick(nps({ 10: 1, 9: 1, 0: 1 })) });
    expect(report.trend[2]?.questions.nps).toEqual({ n: 5, ...pick(nps({ 7: 1, 8: 1, 9: 1, 10: 1, 1: 1 })) });
    const pooled = report.trend.reduce((sum, t) => sum + (t.questions.nps?.n ?? 0), 0);
    expect(pooled).toBe(report.nps?.n);
  });
});

const pick = (f: ReturnType<typeof nps>) => ({ score: f.score, ci95: f.ci95 });
