import type { LaneStore } from '../ports.ts';
import { newLaneId } from '../rules/lanes.ts';

/** The lane of a batch (fingerprints in stream order), creating it for a batch never seen before. */
export async function laneOf(store: LaneStore, records: readonly string[], now: Date): Promise<string> {
  const first = records[0];
  if (first === undefined) throw new Error('empty batch');
  const known = await store.getStart(first);
  if (!known) return (await store.putStartIfAbsent(first, { lane: newLaneId(now), records })).lane;
  // A bisected first half: the second half will start right after us, in the same lane.
  const restStart = known.records[records.length];
  if (records.length < known.records.length && restStart !== undefined) {
    await store.putStartIfAbsent(restStart, {
      lane: known.lane,
      records: known.records.slice(records.length),
    });
  }
  return known.lane;
}

/** After reporting a failure at `records[index]`, Lambda retries from there: that retry stays in this lane. */
export async function continueLaneAt(
  store: LaneStore,
  lane: string,
  records: readonly string[],
  index: number,
) {
  const start = records[index];
  if (start !== undefined) await store.putStartIfAbsent(start, { lane, records: records.slice(index) });
}
