import { describe, expect, it } from 'vitest';
import type { Case } from '#loop/rules/case.ts';
import { loopFigures, loopMetrics } from '#loop/rules/loop-metrics.ts';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const h = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const now = new Date(T0 + 100 * 3_600_000);

/** A case opened at hour `opened`, acknowledged and resolved at the given hours (24 h / 48 h SLA). */
const aCase = (
  id: string,
  store: string,
  owner: string,
  opened: number,
  ack?: number,
  resolved?: number,
): Case =>
  ({
    caseId: id,
    surveyId: 'demo',
    submissionId: id,
    status: resolved !== undefined ? 'resolved' : ack !== undefined ? 'acknowledged' : 'open',
    severity: 'high',
    hits: [],
    answers: {},
    segment: { store },
    locale: 'en',
    owner: { segment: '*', email: owner },
    openedAt: h(opened),
    sla: { ackHours: 24, resolveHours: 48 },
    tiers: [],
    tier: 0,
    ...(ack !== undefined ? { acknowledgedAt: h(opened + ack) } : {}),
    ...(resolved !== undefined ? { resolvedAt: h(opened + resolved) } : {}),
    history: [],
  }) as Case;

describe('loop metrics', () => {
  const cases = [
    aCase('a', 's-1', 'ana@example.com', 0, 2, 10), // both within SLA
    aCase('b', 's-1', 'ana@example.com', 0, 30, 60), // both late
    aCase('c', 's-2', 'bob@example.com', 0, 5), // acknowledged in time, not resolved, 100 h on: overdue
    aCase('d', 's-2', 'bob@example.com', 90), // open, nothing due yet
    aCase('e', 's-2', 'bob@example.com', 50), // open, 50 h without acknowledgement: overdue
  ];

  it('counts shares within SLA among the cases whose deadline has come, with n and an interval', () => {
    const f = loopFigures(cases, now);
    expect(f).toMatchObject({ cases: 5, open: 3, overdue: 2 });
    // Acknowledgement deadline come for a, b, c (acknowledged) and e (not): 2 of 4 in time.
    expect(f.acknowledgedWithinSla).toMatchObject({ n: 4, pct: 50 });
    // Resolution deadline (48 h) come for a, b (resolved) and c, e (open); d not yet: 1 of 4 in time.
    expect(f.resolvedWithinSla).toMatchObject({ n: 4, pct: 25 });
    expect(f.resolvedWithinSla.ci95?.low).toBeLessThan(25);
    expect(f.medianHoursToAcknowledge).toBe(5);
    expect(f.medianHoursToResolve).toBe(35);
  });

  it('groups by owner or by segment, largest first', () => {
    const byOwner = loopMetrics(cases, 'owner', now);
    expect(byOwner.groups.map((g) => [g.value, g.figures.cases, g.figures.overdue])).toEqual([
      ['bob@example.com', 3, 2],
      ['ana@example.com', 2, 0],
    ]);
    const byStore = loopMetrics(cases, 'store', now);
    expect(byStore.groups.map((g) => g.value)).toEqual(['s-2', 's-1']);
    expect(byStore.total.cases).toBe(5);
  });

  it('has no shares and no medians for no cases', () => {
    expect(loopFigures([], now)).toEqual({
      cases: 0,
      open: 0,
      overdue: 0,
      acknowledgedWithinSla: { n: 0, pct: null, ci95: null },
      resolvedWithinSla: { n: 0, pct: null, ci95: null },
      medianHoursToAcknowledge: null,
      medianHoursToResolve: null,
      recovery: { followUpsSent: 0, answered: 0, recovered: { n: 0, pct: null, ci95: null } },
    });
  });
});
