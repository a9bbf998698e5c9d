import type { AggregateDelta, AggregateKey, Segment } from './rules/aggregation.ts';
import type { LaneStart } from './rules/lanes.ts';
import type { DayCounters } from './rules/report.ts';
import type { SegmentValue } from './rules/segments.ts';

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

/** The segment values each survey has seen (docs/architecture.md: segment value items). */
export interface SegmentCatalogue {
  /** Values of one key, or only those whose parent is `parent`. */
  list(surveyId: string, key: string, parent?: Segment): Promise<SegmentValue[]>;
  /** Every value of a survey, every key. */
  all(surveyId: string): Promise<SegmentValue[]>;
  get(surveyId: string, segment: Segment): Promise<SegmentValue | undefined>;
  /** Adds the value unless it is there (its first parent stays); answers with the write units it took. */
  addIfAbsent(surveyId: string, value: SegmentValue): Promise<number>;
}
