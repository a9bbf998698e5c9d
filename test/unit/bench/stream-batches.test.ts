import { describe, expect, it } from 'vitest';
import { poissonArrivals, simulateBatches } from '../../../bench/stream-batches.ts';

const settings = (batchSize: number, windowSeconds: number) => ({
  batchSize,
  windowSeconds,
  parallelizationFactor: 1,
});

describe("the bench's model of Lambda's stream batching", () => {
  it('hands over what each poll found when there is no window', async () => {
    const batches = await simulateBatches([0.1, 0.2, 0.6, 2.0], settings(1000, 0), async () => 0.01);
    expect(batches.map((b) => [b.count, b.invokedAt])).toEqual([
      [2, 0.25],
      [1, 0.75],
      [1, 2.0],
    ]);
  });

  it('gathers for the window from the poll that first saw a record, and cuts a full batch at once', async () => {
    const arrivals = [0.1, 1, 2, 3, 4.9, 5.2, 5.6, 6];
    const windowed = await simulateBatches(arrivals, settings(1000, 5), async () => 0.01);
    expect(windowed.map((b) => [b.first, b.count, b.invokedAt])).toEqual([
      [0, 6, 5.25],
      [6, 2, 10.75],
    ]);
    const full = await simulateBatches(arrivals, settings(2, 5), async () => 0.01);
    expect(full[0]).toEqual({ first: 0, count: 2, invokedAt: 1 });
  });

  it('runs one batch at a time: records that arrive during a slow fold wait for it', async () => {
    const batches = await simulateBatches([0, 0.3, 0.6, 0.9], settings(1000, 0), async () => 2);
    expect(batches.map((b) => [b.count, b.invokedAt])).toEqual([
      [1, 0],
      [3, 2],
    ]);
  });

  it('draws arrivals at the asked rate, the same ones on every run', () => {
    const a = poissonArrivals(5000, 10);
    expect(a).toEqual(poissonArrivals(5000, 10));
    expect(5000 / (a.at(-1) ?? 1)).toBeGreaterThan(9.5);
    expect(5000 / (a.at(-1) ?? 1)).toBeLessThan(10.5);
  });
});
