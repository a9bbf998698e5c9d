import { beforeEach, describe, expect, it } from 'vitest';
import { ALL, type Segment } from '#aggregation/rules/aggregation.ts';
import { type BatchRecord, foldBatch, LaneMemory } from '#aggregation/use-cases/fold-batch.ts';
import { buildResponse } from '#capture/rules/response.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { fixedClock, MemoryAggregateStore, MemoryLaneStore, MemorySurveyStore } from '../../support/fakes.ts';

const survey = surveySchema.parse(demoSurvey);
const now = new Date('2026-11-20T12:00:00Z');

/** A shard's records: sequence numbers rise, as DynamoDB's do. */
function shard(name: string, count: number, start: bigint): BatchRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: `${name}-${i}`,
    sequenceNumber: String(start + BigInt(i) * 7n),
    response: buildResponse({
      survey,
      submissionId: `${name}-sub-${i}`,
      answers: { nps: i % 11, csat: (i % 5) + 1, ces: (i % 7) + 1 },
      attributes: { store: `s${i % 3}`, region: i % 2 ? 'north' : 'south' },
      capturedVia: 'api',
      now,
    }),
  }));
}

describe('foldBatch', () => {
  let aggregates: MemoryAggregateStore;
  let lanes: MemoryLaneStore;
  let memory: LaneMemory;
  const deps = () => ({
    surveys: new MemorySurveyStore([survey]),
    aggregates,
    lanes,
    memory,
    clock: fixedClock(),
    concurrency: 4,
  });
  const total = (segment: Segment = ALL) => {
    const item = aggregates.items.get(`demo|${segment.key}|${segment.value}|2026-11-20`);
    return Object.entries(item?.counters ?? {})
      .filter(([k]) => k.startsWith('nps#'))
      .reduce((n, [, c]) => n + c, 0);
  };

  beforeEach(() => {
    aggregates = new MemoryAggregateStore();
    lanes = new MemoryLaneStore();
    memory = new LaneMemory();
  });

  it('writes one update per aggregate item when a batch is folded', async () => {
    const result = await foldBatch(deps(), shard('a', 30, 1000n));
    // all + 2 regions + 3 stores (channel is not in the attributes)
    expect(result.itemsWritten).toBe(6);
    expect(aggregates.writes).toBe(6);
    expect(total()).toBe(30);
  });

  it('counts nothing again when the same batch is delivered twice', async () => {
    const batch = shard('a', 20, 1000n);
    await foldBatch(deps(), batch);
    await foldBatch(deps(), batch);
    expect(total()).toBe(20);
    expect(total({ key: 'store', value: 's0' })).toBe(7);
  });

  it('counts each record once when a batch dies half way and Lambda retries it bisected', async () => {
    const batch = shard('a', 40, 1000n);
    aggregates.failAfter = 3; // the container dies after 3 of 7 item writes
    const crashed = await foldBatch(deps(), batch);
    expect(crashed.retryFrom).toBeDefined();
    aggregates.failAfter = Number.POSITIVE_INFINITY;
    memory = new LaneMemory(); // a new container
    await foldBatch(deps(), batch.slice(0, 20));
    await foldBatch(deps(), batch.slice(20));
    expect(total()).toBe(40);
    for (const store of ['s0', 's1', 's2']) {
      expect(total({ key: 'store', value: store })).toBe(
        batch.filter((r) => r.response?.attributes.store === store).length,
      );
    }
  });

  it('counts each record once when bisection goes two levels deep', async () => {
    const batch = shard('a', 40, 1000n);
    aggregates.failAfter = 5;
    await foldBatch(deps(), batch);
    aggregates.failAfter = aggregates.writes + 1; // the first half dies too
    await foldBatch(deps(), batch.slice(0, 20));
    aggregates.failAfter = Number.POSITIVE_INFINITY;
    await foldBatch(deps(), batch.slice(0, 10));
    await foldBatch(deps(), batch.slice(10, 20));
    await foldBatch(deps(), batch.slice(20));
    expect(total()).toBe(40);
    expect(total({ key: 'region', value: 'north' })).toBe(20);
  });

  it('resumes from the reported record when some item writes failed, counting nothing twice', async () => {
    const batch = shard('a', 30, 1000n);
    aggregates.failAfter = 4;
    const first = await foldBatch(deps(), batch);
    aggregates.failAfter = Number.POSITIVE_INFINITY;
    const from = batch.findIndex((r) => r.sequenceNumber === first.retryFrom);
    expect(from).toBeGreaterThanOrEqual(0);
    // Lambda retries from the reported record, with the records after the old batch as well.
    const retry = [...batch.slice(from), ...shard('a2', 5, 2000n)];
    await foldBatch(deps(), retry);
    expect(total()).toBe(35);
  });

  it('keeps shards apart when their batches interleave on the same items', async () => {
    const a = shard('a', 10, 5000n);
    const b = shard('b', 10, 1000n); // lower sequence numbers, folded later
    await foldBatch(deps(), a);
    await foldBatch(deps(), b);
    await foldBatch(deps(), b); // a re-delivery of b
    expect(total()).toBe(20);
  });

  it('drops finished lanes from items on the next write so items stay small', async () => {
    await foldBatch(deps(), shard('a', 5, 1000n));
    await foldBatch(deps(), shard('b', 5, 2000n));
    await foldBatch(deps(), shard('c', 5, 3000n));
    const all = aggregates.items.get('demo|all|all|2026-11-20');
    expect(Object.keys(all?.watermarks ?? {})).toHaveLength(1);
    expect(total()).toBe(15);
  });
});

describe('foldBatch with campaign reach', () => {
  const events = ['queued', 'invited', 'delivered', 'opened', 'started'] as const;
  /** A shard mixing invitation events of 10 contacts and the answers of the contacts who finish. */
  function campaignShard(start: bigint): BatchRecord[] {
    const records: BatchRecord[] = [];
    const nextSequenceNumber = () => String(start + BigInt(records.length) * 7n);
    for (const event of events) {
      for (let c = 0; c < 10; c++) {
        records.push({
          eventId: `inv-${event}-${c}`,
          sequenceNumber: nextSequenceNumber(),
          invitation: {
            campaignId: 'spring',
            segments: { region: c % 2 ? 'north' : 'south' },
            event,
            eventAt: '2026-11-20T11:00:00.000Z',
          },
        });
      }
    }
    for (let c = 0; c < 10; c += 3) {
      records.push({
        eventId: `resp-${c}`,
        sequenceNumber: nextSequenceNumber(),
        response: buildResponse({
          survey,
          submissionId: `inv.spring.contact-${c}`,
          answers: { nps: 10, csat: 5, ces: 7 },
          attributes: { region: c % 2 ? 'north' : 'south' },
          capturedVia: 'web',
          now,
          campaignId: 'spring',
        }),
      });
    }
    // A record the parser could not read still takes its place in the batch.
    records.push({ eventId: 'junk', sequenceNumber: nextSequenceNumber() });
    return records;
  }
  const reach = (aggregates: MemoryAggregateStore, segment: Segment = ALL) =>
    aggregates.items.get(`REACH#spring|${segment.key}|${segment.value}|2026-11-20`)?.counters;
  const expected = { queued: 10, invited: 10, delivered: 10, opened: 10, started: 10, completed: 4 };

  let aggregates: MemoryAggregateStore;
  let lanes: MemoryLaneStore;
  let memory: LaneMemory;
  const deps = () => ({
    surveys: new MemorySurveyStore([survey]),
    aggregates,
    lanes,
    memory,
    clock: fixedClock(),
    concurrency: 2,
  });

  beforeEach(() => {
    aggregates = new MemoryAggregateStore();
    lanes = new MemoryLaneStore();
    memory = new LaneMemory();
  });

  it('counts every invitation event and invited response once per campaign segment when a batch is folded', async () => {
    const result = await foldBatch(deps(), campaignShard(1000n));
    // reach: all + 2 regions; survey aggregates: all + 2 regions
    expect(result.itemsWritten).toBe(6);
    expect(reach(aggregates)).toEqual(expected);
    expect(reach(aggregates, { key: 'region', value: 'south' })).toEqual({
      queued: 5,
      invited: 5,
      delivered: 5,
      opened: 5,
      started: 5,
      completed: 2, // contacts 0 and 6
    });
    expect(aggregates.items.get('demo|all|all|2026-11-20')?.counters['nps#10']).toBe(4);
  });

  it('counts nothing again when the batch is delivered twice', async () => {
    const batch = campaignShard(1000n);
    await foldBatch(deps(), batch);
    await foldBatch(deps(), batch);
    expect(reach(aggregates)).toEqual(expected);
  });

  it('counts each event once when the batch dies half way and Lambda retries it bisected', async () => {
    const batch = campaignShard(1000n);
    aggregates.failAfter = 2;
    const crashed = await foldBatch(deps(), batch);
    expect(crashed.retryFrom).toBeDefined();
    aggregates.failAfter = Number.POSITIVE_INFINITY;
    memory = new LaneMemory();
    const half = Math.floor(batch.length / 2);
    await foldBatch(deps(), batch.slice(0, half));
    await foldBatch(deps(), batch.slice(half));
    expect(reach(aggregates)).toEqual(expected);
    expect(reach(aggregates, { key: 'region', value: 'north' })).toMatchObject({ invited: 5, completed: 2 });
  });

  it('drops finished lanes from reach items on their next write', async () => {
    await foldBatch(deps(), campaignShard(1000n));
    await foldBatch(
      deps(),
      campaignShard(5000n).map((r) => ({ ...r, eventId: `b-${r.eventId}` })),
    );
    await foldBatch(
      deps(),
      campaignShard(9000n).map((r) => ({ ...r, eventId: `c-${r.eventId}` })),
    );
    const all = aggregates.items.get('REACH#spring|all|all|2026-11-20');
    expect(Object.keys(all?.watermarks ?? {})).toHaveLength(1);
    expect(all?.counters.invited).toBe(30);
  });
});
