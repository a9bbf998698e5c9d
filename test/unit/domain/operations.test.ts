import { describe, expect, it } from 'vitest';
import { countersOf } from '#aggregation/rules/aggregation.ts';
import {
  bucketOf,
  DURATION_RELATIVE_ERROR,
  operationsCountersOf,
  operationsOf,
  quantile,
  valueOfBucket,
} from '#aggregation/rules/operations.ts';
import type { ResponseRecord } from '#capture/rules/response.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';

const survey = surveySchema.parse(demoSurvey);

/** A reproducible stream of pseudo-random numbers in [0, 1). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/** The exact p-quantile the sketch estimates: the duration of rank ⌊p (n - 1)⌋ in ascending order. */
const exact = (values: readonly number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(p * (values.length - 1))] ?? 0;

const sketch = (values: readonly number[]) => {
  const h: Record<number, number> = {};
  for (const v of values) h[bucketOf(v)] = (h[bucketOf(v)] ?? 0) + 1;
  return h;
};

describe('the duration sketch', () => {
  const r = random(7);
  const cases: Array<[string, number[]]> = [
    ['a single duration', [3600]],
    [
      'first responses, minutes to a day (log-normal)',
      Array.from({ length: 5000 }, () => Math.exp(4 + 3 * r()) * 10),
    ],
    ['resolutions, an hour to three weeks', Array.from({ length: 3000 }, () => 3600 + r() * 21 * 86_400)],
    ['a chat desk: seconds', Array.from({ length: 1000 }, () => 1 + r() * 120)],
    [
      'two crowds: quick replies and next-day ones',
      [
        ...Array.from({ length: 700 }, () => 30 + r() * 300),
        ...Array.from({ length: 300 }, () => 86_400 + r() * 20_000),
      ],
    ],
    ['whole seconds, many ties', Array.from({ length: 2000 }, () => Math.ceil(r() * 10))],
  ];

  it.each(cases)('keeps p50, p90 and p99 of %s within the stated relative error', (_, values) => {
    const h = sketch(values);
    for (const p of [0, 0.5, 0.9, 0.99, 1]) {
      const truth = exact(values, p);
      const estimate = quantile(h, p) ?? Number.NaN;
      expect(Math.abs(estimate - truth) / truth, `p${p * 100}: ${estimate} for ${truth}`).toBeLessThanOrEqual(
        DURATION_RELATIVE_ERROR + 1e-9,
      );
    }
  });

  it('merges: the sketch of two days added is the sketch of both', () => {
    const a = cases[1]?.[1] ?? [];
    const b = cases[2]?.[1] ?? [];
    const merged: Record<number, number> = { ...sketch(a) };
    for (const [k, c] of Object.entries(sketch(b))) merged[Number(k)] = (merged[Number(k)] ?? 0) + c;
    expect(merged).toEqual(sketch([...a, ...b]));
    expect(quantile(merged, 0.9)).toBe(quantile(sketch([...a, ...b]), 0.9));
  });

  it('puts sub-second durations at 0 and caps a year and more in the last bucket', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(0.4)).toBe(0);
    expect(valueOfBucket(0)).toBe(0);
    expect(bucketOf(10 * 366 * 86_400)).toBe(bucketOf(366 * 86_400));
    expect(quantile({}, 0.5)).toBeNull();
  });

  it('keeps every bucket within the bound of what it holds', () => {
    for (const x of [1, 1.5, 2, 59, 60, 61, 3599, 3600, 86_399, 86_400, 1e6]) {
      expect(Math.abs(valueOfBucket(bucketOf(x)) - x) / x).toBeLessThanOrEqual(
        DURATION_RELATIVE_ERROR + 1e-9,
      );
    }
  });
});

describe('operational figures', () => {
  const response = (
    interaction: ResponseRecord['interaction'],
    answers: ResponseRecord['answers'],
  ): ResponseRecord => ({
    surveyId: 'demo',
    submissionId: 's',
    answers,
    attributes: {},
    locale: 'en',
    capturedVia: 'api',
    receivedAt: '2026-12-03T10:00:00.000Z',
    contentHash: 'h',
    ...(interaction ? { interaction } : {}),
  });
  const ticket = (minutesToFirst: number, hoursToResolve: number, fcr: boolean) => ({
    id: 't',
    openedAt: '2026-12-01T00:00:00.000Z',
    firstResponseAt: new Date(Date.parse('2026-12-01T00:00:00.000Z') + minutesToFirst * 60_000).toISOString(),
    resolvedAt: new Date(Date.parse('2026-12-01T00:00:00.000Z') + hoursToResolve * 3_600_000).toISOString(),
    resolvedOnFirstContact: fcr,
  });

  it('counts nothing for a response about no interaction', () => {
    expect(operationsCountersOf(survey, response(undefined, { nps: 9, csat: 5 }), false)).toEqual({});
  });

  it("counts an interaction's facts with its first answers only, and its answers as they come", () => {
    const r = response(ticket(12, 5, true), { csat: 5 });
    const first = operationsCountersOf(survey, r, false);
    expect(first).toMatchObject({
      'ops:n': 1,
      'ops:fcr#1': 1,
      'csat@ops#5': 1,
      'csat@fcr1#5': 1,
      'ops:frt:sum': 720,
    });
    const later = operationsCountersOf(survey, response(ticket(12, 5, true), { ces: 6 }), true);
    expect(later).toEqual({ 'ces@ops#6': 1, 'ces@fcr1#6': 1 });
  });

  it('reads first-contact resolution from one contact and a resolution when the vendor does not say', () => {
    const { resolvedOnFirstContact: _, ...rest } = ticket(5, 1, true);
    expect(operationsCountersOf(survey, response({ ...rest, contacts: 1 }, {}), false)).toHaveProperty(
      'ops:fcr#1',
      1,
    );
    expect(operationsCountersOf(survey, response({ ...rest, contacts: 3 }, {}), false)).toHaveProperty(
      'ops:fcr#0',
      1,
    );
    expect(Object.keys(operationsCountersOf(survey, response({ id: 'x' }, {}), false))).toEqual(['ops:n']);
  });

  it('gives FCR with its interval, service times, and CSAT and CES split by first-contact resolution', () => {
    const answers = [
      [ticket(10, 2, true), { csat: 5, ces: 7 }],
      [ticket(20, 4, true), { csat: 4, ces: 6 }],
      [ticket(90, 50, false), { csat: 2, ces: 2 }],
      [ticket(30, 30, false), { csat: 3 }],
    ] as const;
    const counters: Record<string, number> = {};
    for (const [interaction, a] of answers)
      for (const [name, inc] of Object.entries(countersOf(survey, response(interaction, a))))
        counters[name] = (counters[name] ?? 0) + inc;
    const ops = operationsOf(survey, [{ day: '2026-12-03', counters }]);
    expect(ops).toMatchObject({
      n: 4,
      firstContactResolution: { rate: 50, resolved: 2, n: 4 },
      firstResponseTime: { n: 4, meanSeconds: 2250 },
      resolutionTime: { n: 4 },
      relativeError: 0.05,
      csat: { n: 4, score: 50 },
      byFirstContact: { resolved: { csat: { score: 100, n: 2 } }, notResolved: { csat: { score: 0, n: 2 } } },
    });
    expect(ops?.firstContactResolution.ci95).not.toBeNull();
    expect(Math.abs((ops?.firstResponseTime.p50Seconds ?? 0) - 1200) / 1200).toBeLessThanOrEqual(0.05);
    expect(ops?.byFirstContact.resolved.ces?.n).toBe(2);
    expect(operationsOf(survey, [{ day: '2026-12-03', counters: { 'nps#9': 3 } }])).toBeNull();
  });
});
