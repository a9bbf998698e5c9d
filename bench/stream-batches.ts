/**
 * How Lambda cuts one DynamoDB stream shard into batches, as a function of when records arrive.
 *
 * Lambda polls each shard about four times a second. It hands the function what it has gathered once the batch
 * is full (BatchSize), the batching window has passed since the first record of the batch was seen
 * (MaximumBatchingWindowInSeconds; 0 means "whatever the poll found"), or the payload nears 6 MB. With a
 * ParallelizationFactor of 1, one batch of a shard runs at a time: records that arrive meanwhile wait for the
 * next poll after it returns.
 */

export interface MappingSettings {
  readonly batchSize: number;
  readonly windowSeconds: number;
  /** Concurrent batches per shard; the simulation models 1 (what Pulso deploys). */
  readonly parallelizationFactor: number;
}

export interface SimulatedBatch {
  /** Indexes of the records (into the arrival list), in stream order. */
  readonly first: number;
  readonly count: number;
  /** Seconds from the start when Lambda invoked the function with this batch. */
  readonly invokedAt: number;
}

/** Lambda's poll interval on a stream shard (about four GetRecords a second). */
export const POLL_SECONDS = 0.25;

/**
 * Cuts records arriving at `arrivals` (seconds, ascending) into batches. `run(batch)` processes one batch and
 * answers how long it took (seconds); the next poll waits for it.
 */
export async function simulateBatches(
  arrivals: readonly number[],
  settings: MappingSettings,
  run: (batch: SimulatedBatch) => Promise<number>,
  poll = POLL_SECONDS,
): Promise<SimulatedBatch[]> {
  const batches: SimulatedBatch[] = [];
  let next = 0;
  // The poller's phase is arbitrary: start it at 0 and let it tick every `poll` seconds.
  let now = 0;
  let windowOpenedAt: number | undefined;
  while (next < arrivals.length) {
    const available = countUpTo(arrivals, next, now, settings.batchSize);
    if (available === 0) {
      // Nothing seen: the next poll that finds a record is the first tick at or after its arrival.
      now = tickAtOrAfter(arrivals[next] ?? 0, poll);
      continue;
    }
    windowOpenedAt ??= now;
    const full = available >= settings.batchSize;
    const windowPassed = now - windowOpenedAt >= settings.windowSeconds - 1e-9;
    if (!full && !windowPassed) {
      // Wait for the next poll, or the one that closes the window, or the one that fills the batch.
      now = Math.round((now + poll) / poll) * poll;
      continue;
    }
    const batch = { first: next, count: Math.min(available, settings.batchSize), invokedAt: now };
    batches.push(batch);
    const took = await run(batch);
    next += batch.count;
    windowOpenedAt = undefined;
    now = tickAtOrAfter(now + took, poll);
  }
  return batches;
}

/** How many records from `from` on have arrived by `t` (at most `max`). */
function countUpTo(arrivals: readonly number[], from: number, t: number, max: number): number {
  let n = 0;
  while (
    n < max &&
    from + n < arrivals.length &&
    (arrivals[from + n] ?? Number.POSITIVE_INFINITY) <= t + 1e-9
  )
    n++;
  return n;
}

function tickAtOrAfter(t: number, poll: number): number {
  return Math.ceil(t / poll - 1e-9) * poll;
}

/** Arrival times of `n` records at `ratePerSecond` on average, as a Poisson process (a seeded generator). */
export function poissonArrivals(n: number, ratePerSecond: number, seed = 1): number[] {
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: reproducible figures from one run to the next.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 2 ** 32;
  };
  const out: number[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += -Math.log(random()) / ratePerSecond;
    out.push(t);
  }
  return out;
}
