import type { ResponseRecord } from '#capture/rules/response.ts';
import type { InvitationChange, ReachCounter } from '#invitations/rules/reach.ts';
import { dayOf } from '#kernel/days.ts';
import { type Survey, scoredQuestions } from '#kernel/survey.ts';
import { type Analysed, commentCountersOf } from './comments.ts';
import { counterName } from './counters.ts';
import { operationsCountersOf } from './operations.ts';

export { counterName, parseCounterName } from './counters.ts';

/** The all-responses segment. */
export const ALL = { key: 'all', value: 'all' } as const;

export interface Segment {
  readonly key: string;
  readonly value: string;
}

/** A survey's daily aggregate item: score histograms of one segment value on one day. */
export interface SurveyAggregateKey {
  readonly kind: 'survey';
  readonly surveyId: string;
  readonly segment: Segment;
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
}

/** A campaign's daily reach item: reach counters (see reach.ts) of one segment value on one day. */
export interface ReachKey {
  readonly kind: 'reach';
  readonly campaignId: string;
  readonly segment: Segment;
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
}

/** An item the fold counts into; both kinds keep counters and lane watermarks the same way. */
export type AggregateKey = SurveyAggregateKey | ReachKey;

/** Identity of an item within a batch and in LaneMemory. */
export function itemIdOf(k: AggregateKey): string {
  const subject = k.kind === 'survey' ? k.surveyId : k.campaignId;
  return `${k.kind}\n${subject}\n${k.segment.key}\n${k.segment.value}\n${k.day}`;
}

/** A response read from the stream: its record's id, its place in its shard, and what it says. */
export interface StreamedResponse {
  readonly eventId: string;
  readonly sequenceNumber: string;
  readonly response: ResponseRecord;
  /**
   * Answers added to a submission after its first ones (a question at a time): they count, but the submission's
   * own facts (its interaction, its campaign's completion) counted with the first.
   */
  readonly later?: boolean;
  /** The comment's reading, on the record whose write brought it (comments.ts). */
  readonly analysed?: Analysed | undefined;
}

/** An invitation event read from the stream (an insert or a transition of an invitation item). */
export interface StreamedInvitation {
  readonly eventId: string;
  readonly sequenceNumber: string;
  readonly invitation: InvitationChange;
}

export type StreamedRecord = StreamedResponse | StreamedInvitation;

export interface Contribution {
  /** Stream sequence number, zero-padded so that string order is numeric order. */
  readonly position: string;
  readonly counters: Readonly<Record<string, number>>;
}

/** Everything one batch adds to one aggregate item, record by record, in one lane (see lanes.ts). */
export interface AggregateUpdate {
  readonly key: AggregateKey;
  readonly lane: string;
  /** In stream order. */
  readonly contributions: readonly Contribution[];
}

/** What to write: counters to add, and the new watermark of the shard on that item. */
export interface AggregateDelta {
  readonly counters: Readonly<Record<string, number>>;
  /** First position counted: applies only if the item's watermark for the lane is before it (or absent). */
  readonly from: string;
  /** Last position counted: the item's new watermark for the lane. */
  readonly upTo: string;
  readonly responses: number;
}

/** Stream sequence numbers are decimal strings of 21 to 40 digits. */
export const positionOf = (sequenceNumber: string) => sequenceNumber.padStart(40, '0');

export function segmentsOf(survey: Survey, response: ResponseRecord): Segment[] {
  const segments: Segment[] = [ALL];
  for (const key of survey.segmentKeys) {
    const value = response.attributes[key];
    if (value !== undefined && value !== '') segments.push({ key, value });
  }
  return segments;
}

/** What a response adds to its items: a counter per answered score, and its interaction's (operations.ts). */
export function countersOf(survey: Survey, response: ResponseRecord, later = false): Record<string, number> {
  const counters: Record<string, number> = operationsCountersOf(survey, response, later);
  for (const q of scoredQuestions(survey)) {
    const answer = response.answers[q.id];
    if (typeof answer === 'number') counters[counterName(q.id, answer)] = 1;
  }
  return counters;
}

/** The segments an invitation event counts in: all contacts, and each segment value the invitation carries. */
export function invitationSegmentsOf(invitation: InvitationChange): Segment[] {
  const segments: Segment[] = [ALL];
  for (const [key, value] of Object.entries(invitation.segments))
    if (value !== '') segments.push({ key, value });
  return segments;
}

const reachCounter = (counter: ReachCounter): Record<string, number> => ({ [counter]: 1 });

/**
 * Folds a batch (one shard, in order) into one update per item: the floor of one write per item per batch.
 * A response counts in its survey's aggregates (survey x segment x day) and, when it came through an invitation,
 * as `completed` in its campaign's reach (campaign x segment x day); an invitation event counts in its campaign's
 * reach under the event's name. Each item keeps, per lane, the position of the last record it has counted (its
 * watermark), so a retried, bisected or re-delivered batch adds only what the item has not counted yet.
 */
export function planAggregateUpdates(
  batch: readonly StreamedRecord[],
  surveyOf: (surveyId: string) => Survey | undefined,
  lane: string,
): AggregateUpdate[] {
  const updates = new Map<string, { key: AggregateKey; lane: string; contributions: Contribution[] }>();
  const add = (key: AggregateKey, contribution: Contribution) => {
    const id = itemIdOf(key);
    let update = updates.get(id);
    if (!update) {
      update = { key, lane, contributions: [] };
      updates.set(id, update);
    }
    update.contributions.push(contribution);
  };
  for (const record of batch) {
    const position = positionOf(record.sequenceNumber);
    if ('invitation' in record) {
      const { invitation } = record;
      const counters = reachCounter(invitation.event);
      const day = dayOf(invitation.eventAt);
      for (const segment of invitationSegmentsOf(invitation))
        add({ kind: 'reach', campaignId: invitation.campaignId, segment, day }, { position, counters });
      continue;
    }
    const { response } = record;
    const survey = surveyOf(response.surveyId);
    if (!survey) continue;
    const day = dayOf(response.receivedAt);
    const segments = segmentsOf(survey, response);
    const counters = {
      ...countersOf(survey, response, record.later === true),
      ...(record.analysed ? commentCountersOf(survey, record.analysed) : {}),
    };
    if (Object.keys(counters).length > 0)
      for (const segment of segments)
        add({ kind: 'survey', surveyId: survey.id, segment, day }, { position, counters });
    if (response.campaignId !== undefined) {
      const completed = reachCounter('completed');
      for (const segment of segments)
        add(
          { kind: 'reach', campaignId: response.campaignId, segment, day },
          { position, counters: completed },
        );
    }
  }
  for (const u of updates.values()) u.contributions.sort((a, b) => (a.position < b.position ? -1 : 1));
  return [...updates.values()];
}

/** The part of an update that an item whose watermark is `watermark` has not counted yet; null if none. */
export function deltaAfter(update: AggregateUpdate, watermark: string | undefined): AggregateDelta | null {
  const counters: Record<string, number> = {};
  let from: string | undefined;
  let upTo: string | undefined;
  let responses = 0;
  for (const c of update.contributions) {
    if (watermark !== undefined && c.position <= watermark) continue;
    for (const [name, inc] of Object.entries(c.counters)) counters[name] = (counters[name] ?? 0) + inc;
    from ??= c.position;
    upTo = c.position;
    responses++;
  }
  return from === undefined || upTo === undefined ? null : { counters, from, upTo, responses };
}

/** Earliest record among failed updates: everything before it is fully counted, so Lambda may checkpoint there. */
export function earliestPosition(updates: readonly AggregateUpdate[]): string | undefined {
  let min: string | undefined;
  for (const u of updates) {
    const first = u.contributions[0]?.position;
    if (first !== undefined && (min === undefined || first < min)) min = first;
  }
  return min;
}
