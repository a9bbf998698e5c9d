import { describe, expect, it } from 'vitest';
import type { DayCounters } from '#aggregation/rules/report.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { type ActionPlan, planImpact, planInputSchema, validatePlan } from '#loop/rules/plans.ts';

const survey = surveySchema.parse(demoSurvey);
const plan = (extra: Record<string, unknown> = {}): ActionPlan => ({
  ...planInputSchema.parse({
    title: 'Shorter queues at s-001',
    surveyId: 'demo',
    segment: 'store:s-001',
    theme: 'waiting-time',
    owner: 'ana@example.com',
    startDate: '2026-11-01',
    dueDate: '2026-11-30',
    tasks: [{ title: 'Open a second till at noon', status: 'done' }, { title: 'Train the team' }],
    ...extra,
  }),
  planId: 'p1',
  createdAt: '2026-10-30T00:00:00Z',
  updatedAt: '2026-10-30T00:00:00Z',
});

/** One day's NPS answers: `p` promoters (10), `d` detractors (3). */
const day = (d: string, p: number, det: number, csatHigh = 0): DayCounters => ({
  day: d,
  counters: { 'nps#10': p, 'nps#3': det, 'csat#5': csatHigh, 'csat#1': p + det - csatHigh },
});

describe('action plan impact', () => {
  const before = ['2026-10-10', '2026-10-20', '2026-10-31'].map((d) => day(d, 10, 30));
  const after = ['2026-11-01', '2026-11-10', '2026-11-20'].map((d) => day(d, 30, 10));

  it('compares the figure before and since the start, with a significant change', () => {
    const impact = planImpact(plan(), survey, [...before, ...after], '2026-11-22', 30);
    expect(impact.before).toMatchObject({ from: '2026-10-02', to: '2026-10-31', n: 120, score: -50 });
    expect(impact.after).toMatchObject({ from: '2026-11-01', to: '2026-11-22', n: 120, score: 50 });
    expect(impact.change?.value).toBe(100);
    expect(impact.change?.ci95.low).toBeGreaterThan(0);
    expect(impact.significant).toBe(true);
    expect(impact.progress).toEqual({ done: 1, tasks: 2 });
  });

  it('does not call a change on a handful of answers significant', () => {
    const impact = planImpact(
      plan(),
      survey,
      [day('2026-10-20', 1, 2), day('2026-11-05', 2, 1)],
      '2026-11-22',
      30,
    );
    expect(impact.before.n).toBe(3);
    expect(impact.change?.value).toBeGreaterThan(0);
    expect(impact.significant).toBe(false);
  });

  it('has no change until both periods have answers', () => {
    const impact = planImpact(plan(), survey, before, '2026-11-22', 30);
    expect(impact.after.n).toBe(0);
    expect(impact.change).toBeNull();
  });

  it('measures CSAT when the plan names that question', () => {
    const days = [day('2026-10-20', 10, 10, 5), day('2026-11-05', 10, 10, 15)];
    const impact = planImpact(plan({ questionId: 'csat' }), survey, days, '2026-11-22', 30);
    expect(impact.type).toBe('csat');
    expect(impact.before.score).toBe(25);
    expect(impact.after.score).toBe(75);
    expect(impact.significant).toBe(true);
    expect(impact.range).toEqual({ min: 0, max: 100 });
  });

  it('charts a CES on its own scale: 1 to 5 for a 5-point question, 1 to 7 otherwise', () => {
    const fivePoint = surveySchema.parse({
      ...demoSurvey,
      questions: demoSurvey.questions.map((q) => (q.type === 'ces' ? { ...q, scale: 5 } : q)),
    });
    const days: DayCounters[] = [
      { day: '2026-10-20', counters: { 'ces#2': 10 } },
      { day: '2026-11-05', counters: { 'ces#4': 10 } },
    ];
    const impact = planImpact(plan({ questionId: 'ces' }), fivePoint, days, '2026-11-22', 30);
    expect(impact).toMatchObject({ type: 'ces', range: { min: 1, max: 5 }, change: { value: 2 } });
    expect(planImpact(plan({ questionId: 'ces' }), survey, days, '2026-11-22', 30).range).toEqual({
      min: 1,
      max: 7,
    });
    expect(planImpact(plan(), survey, before, '2026-11-22', 30).range).toEqual({ min: -100, max: 100 });
  });
});

describe('action plan definitions', () => {
  it('refuses a due date before the start, and a question that is not scored', () => {
    expect(() => validatePlan(plan({ dueDate: '2026-10-01' }), survey)).toThrow(/does not hold together/);
    expect(() => validatePlan(plan({ questionId: 'comment' }), survey)).toThrow(/does not hold together/);
    expect(() => validatePlan(plan(), survey)).not.toThrow();
  });

  it.each([{ owner: 'nobody' }, { startDate: '1 Nov' }, { segment: 'store' }, { tasks: [{ title: '' }] }])(
    'refuses %o',
    (bad) => {
      expect(
        planInputSchema.safeParse({
          title: 'x',
          surveyId: 'demo',
          owner: 'a@example.com',
          startDate: '2026-11-01',
          dueDate: '2026-11-30',
          ...bad,
        }).success,
      ).toBe(false);
    },
  );
});
