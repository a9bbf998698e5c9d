import { type Interval, wilson } from '#kernel/metrics.ts';

/**
 * Campaign reach: how many invitations were queued, sent, delivered, opened, answered... per campaign, segment
 * and UTC day. The aggregator folds every invitation event and every invited response into reach items exactly
 * once (see aggregation.ts); this module names the counters and sums the items into what a reader shows.
 */

/**
 * The events of invitation items (their `event` attribute) that reach counts, each write once. Other events
 * (intermediate steps such as `sending`) are not reach and never reach the aggregator (see its stream filter).
 */
export const REACH_EVENTS = [
  'queued',
  'invited',
  'throttled',
  'suppressed',
  'failed',
  'unknown',
  'delivered',
  'bounced',
  'complained',
  'opened',
  'started',
  'reminded',
  'unsubscribed',
] as const;
export type ReachEvent = (typeof REACH_EVENTS)[number];

/** Reach counters: every invitation event, and `completed` (a response that came through an invitation). */
export const REACH_COUNTERS = [...REACH_EVENTS, 'completed'] as const;
export type ReachCounter = (typeof REACH_COUNTERS)[number];

/** One invitation event read from the table's stream. */
export interface InvitationChange {
  readonly campaignId: string;
  /** Segment key -> value: the survey's segment keys taken from the contact's attributes. */
  readonly segments: Readonly<Record<string, string>>;
  readonly event: ReachEvent;
  /** ISO 8601, UTC; its day is the day the event counts on. */
  readonly eventAt: string;
}

export type ReachCounts = Record<ReachCounter, number> & {
  /**
   * completed / delivered; completed / invited while no delivery is reported (SMS reports none, and SES
   * delivery events lag the sends by seconds); null while nobody is invited.
   */
  readonly responseRate: number | null;
  /** What `responseRate` is a share of. */
  readonly responseRateBasis: 'delivered' | 'invited' | null;
  /** Wilson 95% interval of the response rate (shares, like the rate). */
  readonly responseRateCi95: Interval | null;
};

export interface CampaignReach {
  readonly campaignId: string;
  /** Every day summed, all contacts. */
  readonly total: ReachCounts;
  /** Every day summed, per segment value; sorted by key, then value. */
  readonly segments: ReadonlyArray<{
    readonly key: string;
    readonly value: string;
    readonly counts: ReachCounts;
  }>;
  /** All contacts, day by day (UTC), in order. */
  readonly days: ReadonlyArray<{ readonly day: string; readonly counts: ReachCounts }>;
}

/** One stored reach item: a segment's counters on one day. Counters are named as in REACH_COUNTERS. */
export interface ReachDayCounters {
  readonly segment: { readonly key: string; readonly value: string };
  readonly day: string;
  readonly counters: Readonly<Record<string, number>>;
}

const isAll = (s: { key: string; value: string }) => s.key === 'all' && s.value === 'all';

const zero = (): Record<ReachCounter, number> =>
  Object.fromEntries(REACH_COUNTERS.map((c) => [c, 0])) as Record<ReachCounter, number>;

function addInto(sum: Record<ReachCounter, number>, counters: Readonly<Record<string, number>>) {
  for (const c of REACH_COUNTERS) sum[c] += counters[c] ?? 0;
}

/** wilson() answers percentages; the response rate is a share. */
const shareOf = (i: Interval | null): Interval | null =>
  i ? { low: i.low / 100, high: i.high / 100 } : null;

function withRate(sum: Record<ReachCounter, number>): ReachCounts {
  const basis = sum.delivered > 0 ? 'delivered' : sum.invited > 0 ? 'invited' : null;
  const n = basis ? sum[basis] : 0;
  // An answer can come before its delivery event: the share never reads above 1.
  const completed = Math.min(sum.completed, n);
  return {
    ...sum,
    responseRate: basis ? completed / n : null,
    responseRateBasis: basis,
    responseRateCi95: basis ? shareOf(wilson(completed, n)) : null,
  };
}

/** Sums a campaign's reach items into totals, per-segment totals and the day series of all contacts. */
export function summarizeReach(campaignId: string, items: readonly ReachDayCounters[]): CampaignReach {
  const total = zero();
  const bySegment = new Map<string, { key: string; value: string; sum: Record<ReachCounter, number> }>();
  const byDay = new Map<string, Record<ReachCounter, number>>();
  for (const item of items) {
    if (isAll(item.segment)) {
      addInto(total, item.counters);
      const day = byDay.get(item.day) ?? zero();
      addInto(day, item.counters);
      byDay.set(item.day, day);
      continue;
    }
    const id = `${item.segment.key}\n${item.segment.value}`;
    const segment = bySegment.get(id) ?? { ...item.segment, sum: zero() };
    addInto(segment.sum, item.counters);
    bySegment.set(id, segment);
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    campaignId,
    total: withRate(total),
    segments: [...bySegment.values()]
      .sort((a, b) => order(a.key, b.key) || order(a.value, b.value))
      .map(({ key, value, sum }) => ({ key, value, counts: withRate(sum) })),
    days: [...byDay.entries()]
      .sort(([a], [b]) => order(a, b))
      .map(([day, sum]) => ({ day, counts: withRate(sum) })),
  };
}
