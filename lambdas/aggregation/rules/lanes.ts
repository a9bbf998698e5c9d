import { createHash, randomBytes } from 'node:crypto';

/**
 * Lanes: how the aggregator tells a retried record from a new one without a marker per response.
 *
 * Lambda hands a DynamoDB stream consumer batches of one shard, in order, but the event does not say which shard.
 * Every batch a consumer starts belongs to a lane; a retry of that batch, either half of a bisected batch, and the
 * rest of a batch after a partial failure all join the same lane, so their stream positions can be compared.
 * Each aggregate item keeps, per lane, the position of the last record it counted (`w#<lane>`).
 *
 * A lane is found from the batch's first record: each batch records where it starts (`START#<record>`) and the
 * records it holds; a shorter retry (the first half of a bisection) records where the rest starts, and a batch that
 * reports a failure records where the retry will start.
 */
export interface LaneStart {
  readonly lane: string;
  /** Fingerprints of the records of the batch that started here, in order. */
  readonly records: readonly string[];
}

/** Short, stable fingerprint of a stream record's eventID. */
export const fingerprint = (eventId: string) =>
  createHash('sha256').update(eventId).digest('base64url').slice(0, 12);

/** A new lane id; it starts with its creation time (base 36 seconds) so stale lanes can be told by age. */
export function newLaneId(now: Date): string {
  return `${Math.floor(now.getTime() / 1000).toString(36)}${randomBytes(4).toString('base64url')}`;
}

export function laneAgeSeconds(lane: string, now: Date): number {
  const created = Number.parseInt(lane.slice(0, 6), 36);
  return Number.isFinite(created) ? now.getTime() / 1000 - created : Number.POSITIVE_INFINITY;
}
