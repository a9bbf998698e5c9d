import type { ResponseRecord } from '#capture/rules/response.ts';
import type { InvitationChange } from '#invitations/rules/reach.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';
import type { AggregateStore, LaneStore } from '../ports.ts';
import {
  type AggregateKey,
  type AggregateUpdate,
  deltaAfter,
  earliestPosition,
  itemIdOf,
  planAggregateUpdates,
  positionOf,
  type StreamedRecord,
} from '../rules/aggregation.ts';
import type { Analysed } from '../rules/comments.ts';
import { fingerprint, laneAgeSeconds } from '../rules/lanes.ts';
import { continueLaneAt, laneOf } from './lane-of.ts';

/** Stream retention is 24 hours: no retry can come back to a lane older than that. */
const LANE_MAX_AGE_SECONDS = 26 * 3600;

/**
 * What this container knows about lanes on aggregate and reach items: lanes it finished (the invocation succeeded,
 * so Lambda will not hand their records again) and lanes seen to be too old to matter. Their watermarks are dropped
 * with the next write to the item, at no extra cost, so items stay small.
 */
export class LaneMemory {
  private readonly droppable = new Map<string, Set<string>>();
  private readonly pending = new Map<string, Set<string>>();

  droppableOn(k: AggregateKey): string[] {
    return [...(this.droppable.get(itemIdOf(k)) ?? [])];
  }

  /** After a write: forget what was dropped, note old lanes, and remember this lane until the batch succeeds. */
  written(k: AggregateKey, lane: string, lanesOnItem: readonly string[], now: Date): void {
    const id = itemIdOf(k);
    const old = lanesOnItem.filter((l) => l !== lane && laneAgeSeconds(l, now) > LANE_MAX_AGE_SECONDS);
    if (old.length > 0) this.droppable.set(id, new Set(old));
    else this.droppable.delete(id);
    const pending = this.pending.get(lane) ?? new Set<string>();
    pending.add(id);
    this.pending.set(lane, pending);
  }

  finished(lane: string): void {
    for (const id of this.pending.get(lane) ?? []) {
      const set = this.droppable.get(id) ?? new Set<string>();
      set.add(lane);
      this.droppable.set(id, set);
    }
    this.pending.delete(lane);
  }

  abandoned(lane: string): void {
    this.pending.delete(lane);
  }
}

export interface FoldBatchDeps {
  readonly surveys: SurveyStore;
  readonly aggregates: AggregateStore;
  readonly lanes: LaneStore;
  readonly memory: LaneMemory;
  readonly clock: Clock;
  /** Parallel writes; items are independent. */
  readonly concurrency?: number;
}

/**
 * One record of Lambda's batch: a response or an invitation event. Neither is set when the record is not one we
 * can read; it still belongs to the batch (its lane and its place in the shard).
 */
export interface BatchRecord {
  readonly eventId: string;
  readonly sequenceNumber: string;
  readonly response?: ResponseRecord | undefined;
  readonly invitation?: InvitationChange | undefined;
  readonly analysed?: Analysed | undefined;
}

export interface FoldBatchResult {
  readonly lane: string;
  /** Aggregate and reach items written. */
  readonly itemsWritten: number;
  readonly writeUnits: number;
  /** Sequence number of the earliest record not fully counted, when some writes failed; retry from there. */
  readonly retryFrom?: string;
  readonly errors: readonly unknown[];
}

/** Tries an update until the item has counted it, reading the lane's watermark from a failed condition. */
async function applyOnce(
  deps: FoldBatchDeps,
  update: AggregateUpdate,
): Promise<{ written: boolean; units: number }> {
  let watermark: string | undefined;
  let units = 0;
  // Only one invocation per shard runs at a time, so one stale answer settles it; the bound is a safety net.
  for (let attempt = 0; attempt < 3; attempt++) {
    const delta = deltaAfter(update, watermark);
    if (!delta) return { written: false, units };
    const result = await deps.aggregates.apply(
      update.key,
      update.lane,
      delta,
      deps.memory.droppableOn(update.key),
    );
    units += result.writeUnits;
    if (result.outcome === 'applied') {
      deps.memory.written(update.key, update.lane, result.lanes, deps.clock.now());
      return { written: true, units };
    }
    watermark = result.watermark;
  }
  throw new Error(`Item ${itemIdOf(update.key).replaceAll('\n', '/')} kept moving`);
}

/**
 * Folds a stream batch into the daily aggregates and campaign reach: one conditional write per item, no
 * transactions. Safe to call again with the same records, with a bisected part of them, or after a crash half way.
 */
export async function foldBatch(
  deps: FoldBatchDeps,
  records: readonly BatchRecord[],
): Promise<FoldBatchResult> {
  if (records.length === 0) return { lane: '', itemsWritten: 0, writeUnits: 0, errors: [] };
  const fingerprints = records.map((r) => fingerprint(r.eventId));
  const lane = await laneOf(deps.lanes, fingerprints, deps.clock.now());

  const batch: StreamedRecord[] = [];
  const surveyIds = new Set<string>();
  for (const { eventId, sequenceNumber, response, invitation, analysed } of records) {
    if (response) {
      batch.push({ eventId, sequenceNumber, response, analysed });
      surveyIds.add(response.surveyId);
    } else if (invitation) batch.push({ eventId, sequenceNumber, invitation });
  }
  const surveys = new Map<string, Survey | undefined>();
  for (const id of surveyIds) surveys.set(id, await deps.surveys.get(id));
  const updates = planAggregateUpdates(batch, (id) => surveys.get(id), lane);

  let itemsWritten = 0;
  let writeUnits = 0;
  const failed: AggregateUpdate[] = [];
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    for (let update = updates[next++]; update; update = updates[next++]) {
      try {
        const { written, units } = await applyOnce(deps, update);
        writeUnits += units;
        if (written) itemsWritten++;
      } catch (err) {
        failed.push(update);
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 16, updates.length) }, worker));

  const failedFrom = earliestPosition(failed);
  if (failedFrom === undefined) {
    deps.memory.finished(lane);
    return { lane, itemsWritten, writeUnits, errors };
  }
  deps.memory.abandoned(lane);
  const index = records.findIndex((r) => positionOf(r.sequenceNumber) === failedFrom);
  await continueLaneAt(deps.lanes, lane, fingerprints, index);
  return { lane, itemsWritten, writeUnits, retryFrom: records[index]?.sequenceNumber, errors };
}
