import { describe, expect, it } from 'vitest';
import { REACH_COUNTERS, type ReachDayCounters, summarizeReach } from '#invitations/rules/reach.ts';

const ALL = { key: 'all', value: 'all' };
const item = (segment: { key: string; value: string }, day: string, counters: Record<string, number>) =>
  ({ segment, day, counters }) satisfies ReachDayCounters;

describe('summarizeReach', () => {
  it('answers zero counts and no response rate when nothing is counted yet', () => {
    const reach = summarizeReach('c1', []);
    expect(reach).toEqual({
      campaignId: 'c1',
      total: {
        ...Object.fromEntries(REACH_COUNTERS.map((c) => [c, 0])),
        responseRate: null,
        responseRateBasis: null,
        responseRateCi95: null,
      },
      segments: [],
      days: [],
    });
  });

  it('sums the days of all contacts into the total and keeps the days apart in order', () => {
    const reach = summarizeReach('c1', [
      item(ALL, '2026-11-21', { invited: 3, delivered: 2, completed: 1 }),
      item(ALL, '2026-11-20', { queued: 5, invited: 2 }),
    ]);
    expect(reach.total).toMatchObject({ queued: 5, invited: 5, delivered: 2, completed: 1, bounced: 0 });
    expect(reach.days.map((d) => [d.day, d.counts.invited])).toEqual([
      ['2026-11-20', 2],
      ['2026-11-21', 3],
    ]);
  });

  it('sums each segment value over its days, sorted by key then value, without the all segment', () => {
    const reach = summarizeReach('c1', [
      item({ key: 'store', value: 's2' }, '2026-11-20', { invited: 1 }),
      item({ key: 'region', value: 'south' }, '2026-11-20', { invited: 4 }),
      item({ key: 'region', value: 'north' }, '2026-11-20', { invited: 1, completed: 1 }),
      item({ key: 'region', value: 'north' }, '2026-11-21', { invited: 1, opened: 2 }),
      item(ALL, '2026-11-20', { invited: 6 }),
    ]);
    expect(reach.segments.map((s) => [s.key, s.value, s.counts.invited])).toEqual([
      ['region', 'north', 2],
      ['region', 'south', 4],
      ['store', 's2', 1],
    ]);
    expect(reach.segments[0]?.counts).toMatchObject({ opened: 2, completed: 1, responseRate: 0.5 });
    expect(reach.total.invited).toBe(6);
  });

  it.each([
    ['nobody invited', { completed: 0 }, null],
    ['answers but nobody invited (not a rate)', { completed: 2 }, null],
    ['none of the invited answered', { invited: 4 }, 0],
    ['a quarter of the invited answered', { invited: 4, completed: 1 }, 0.25],
    ['everyone invited answered', { invited: 3, completed: 3 }, 1],
    ['deliveries are reported: a share of the delivered', { invited: 10, delivered: 8, completed: 2 }, 0.25],
    ['an answer came before its delivery event', { invited: 2, delivered: 1, completed: 2 }, 1],
  ])('gives the response rate completed / delivered (else / invited) when %s', (_, counters, rate) => {
    const reach = summarizeReach('c1', [item(ALL, '2026-11-20', counters)]);
    expect(reach.total.responseRate).toBe(rate);
    expect(reach.days[0]?.counts.responseRate).toBe(rate);
  });

  it('says what the rate is a share of, with its Wilson interval', () => {
    const sms = summarizeReach('c1', [item(ALL, '2026-11-20', { invited: 100, completed: 20 })]).total;
    expect(sms.responseRateBasis).toBe('invited');
    const email = summarizeReach('c1', [
      item(ALL, '2026-11-20', { invited: 100, delivered: 90, completed: 9 }),
    ]).total;
    expect(email.responseRateBasis).toBe('delivered');
    expect(email.responseRateCi95?.low).toBeLessThan(0.1);
    expect(email.responseRateCi95?.high).toBeGreaterThan(0.1);
    expect(email.responseRateCi95?.high).toBeLessThan(0.2);
  });

  it('ignores counters that are not reach counters', () => {
    const reach = summarizeReach('c1', [item(ALL, '2026-11-20', { invited: 1, 'nps#9': 7, sending: 3 })]);
    expect(reach.total).not.toHaveProperty('nps#9');
    expect(reach.total).not.toHaveProperty('sending');
    expect(reach.total.invited).toBe(1);
  });
});
