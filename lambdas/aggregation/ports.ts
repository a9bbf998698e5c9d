import type { AggregateDelta, AggregateKey, Segment } from './rules/aggregation.ts';
import type { LaneStart } from './rules/lanes.ts';
import type { DayCounters } from './rules/report.ts';

export type ApplyResult =
  | { readonly outcome: 'applied'; readonly writeUnits: number; readonly lanes: readonly string[] }
  | { readonly outcome: 'stale'; readonly watermark: string | undefined; readonly writeUnits: number };

export interface AggregateStore {
  /**
   * Adds the delta to the item if the lane's watermark on it is absent or before `delta.from`, moves the
   * watermark to `delta.upTo` and drops the watermarks of `finishedLanes`, in one conditional write.
   * 'stale' returns the item's current watermark for the lane. `lanes` lists the lanes left on the item.
   */
  apply(
    key: AggregateKey,
    lane: string,
    delta: AggregateDelta,
    finishedLanes: readonly string[],
  ): Promise<ApplyResult>;
  readDays(surveyId: string, segment: Segment, from: string, to: string): Promise<DayCounters[]>;
}

export interface LaneStore {
  getStart(recordFingerprint: string): Promise<LaneStart | undefined>;
  /** Writes the start unless one is there; returns what is stored. */
  putStartIfAbsent(recordFingerprint: string, start: LaneStart): Promise<LaneStart>;
}
