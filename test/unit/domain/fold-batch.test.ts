import { beforeEach, describe, expect, it } from 'vitest';
import { ALL, type Segment } from '#domain/aggregation.ts';
import { type BatchRecord, foldBatch, LaneMemory } from '#domain/fold-batch.ts';
import { buildResponse } from '#domain/response.ts';
import { demoSurvey, surveySchema } from '#domain/survey.ts';
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
