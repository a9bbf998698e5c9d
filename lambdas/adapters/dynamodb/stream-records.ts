import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Analysed } from '#aggregation/rules/comments.ts';
import {
  attributesSchema,
  campaignIdSchema,
  interactionSchema,
  type ResponseRecord,
} from '#capture/rules/response.ts';
import { type InvitationChange, REACH_EVENTS } from '#invitations/rules/reach.ts';
import { analysisSchema, broughtBy } from '#kernel/analysis.ts';
import * as z from '#kernel/zod.ts';
import { responseFromItem } from './responses.ts';

const storedResponseSchema = z.object({
  surveyId: z.string(),
  submissionId: z.string(),
  answers: z.record(z.string(), z.union([z.number(), z.string()])),
  attributes: z.record(z.string(), z.string()),
  locale: z.enum(['en', 'es', 'pt']),
  capturedVia: z.string(),
  receivedAt: z.iso.datetime(),
  contentHash: z.string(),
  campaignId: z.optional(z.string()),
  interaction: z.optional(interactionSchema),
  analysis: z.optional(z.unknown()),
});

/** What the aggregator reads of an invitation item; the rest (contact, state, ids) is not its business. */
const storedInvitationSchema = z.object({
  campaignId: campaignIdSchema,
  // Segment values become reach item keys: the same rules as response attributes.
  segments: attributesSchema,
  event: z.enum(REACH_EVENTS),
  eventAt: z.iso.datetime(),
});

/** The NEW_IMAGE of an item of this type, unmarshalled; undefined for other items or an unreadable image. */
function newImageOf(record: DynamoDBRecord, type: string): Record<string, unknown> | undefined {
  const image = record.dynamodb?.NewImage;
  if (image?.type?.S !== type) return undefined;
  try {
    return unmarshall(image as Record<string, AttributeValue>);
  } catch {
    // an attribute type the SDK does not know
    return undefined;
  }
}

/** The questions a write of answers that come one at a time added (ResponseStore.addAnswers). */
const addedSchema = z.array(z.string()).check(z.minLength(1));

/**
 * The response in a stream record's NEW_IMAGE, or undefined when the record is not a readable response: an insert
 * (a whole response, or the first answers of one that comes a question at a time), or an update that added answers
 * to one (it names them in `added`). The whole submission as stored, every answer so far: what the alerter reads.
 */
export function responseOfStreamRecord(record: DynamoDBRecord): ResponseRecord | undefined {
  return partOfStreamRecord(record)?.response;
}

/**
 * What a stream record adds to the aggregates: an insert, the whole response; an update that added answers, only
 * those answers (`later`), and no campaign completion or interaction facts (its first answers counted those). So
 * each question counts once, when it arrives.
 */
export function countedOfStreamRecord(record: DynamoDBRecord):
  | {
      readonly response: ResponseRecord;
      readonly later: boolean;
      /** The comment's reading, when this write brought it: with the first comment, once. */
      readonly analysed?: Analysed;
    }
  | undefined {
  const part = partOfStreamRecord(record);
  if (!part) return undefined;
  const { analysis, ...whole } = part.response;
  if (!part.added) {
    return analysis
      ? { response: whole, later: false, analysed: { analysis, answers: whole.answers } }
      : { response: whole, later: false };
  }
  const { campaignId: _, answers, ...rest } = whole;
  const added = Object.fromEntries(part.added.flatMap((q) => (q in answers ? [[q, answers[q]]] : [])));
  const response = { ...rest, answers: added } as ResponseRecord;
  return broughtBy(analysis, part.added)
    ? { response, later: true, analysed: { analysis, answers } }
    : { response, later: true };
}

function partOfStreamRecord(
  record: DynamoDBRecord,
): { response: ResponseRecord; added?: readonly string[] } | undefined {
  const modify = record.eventName === 'MODIFY';
  if (record.eventName !== 'INSERT' && !modify) return undefined;
  const item = newImageOf(record, 'response');
  if (!item) return undefined;
  // `added` is a string set, unmarshalled as a Set.
  const added = addedSchema.safeParse(item.added instanceof Set ? [...item.added] : undefined);
  // A response item changes only by adding answers; any other change is not read (nothing to count twice).
  if (modify && !added.success) return undefined;
  const parsed = storedResponseSchema.safeParse(responseFromItem(item));
  if (!parsed.success) return undefined;
  const { campaignId, analysis: raw, ...stored } = parsed.data;
  // A reading that does not parse costs the response nothing: it counts, unread.
  const analysis = analysisSchema.safeParse(raw);
  // A malformed campaign id must not cost the response its survey aggregates: it only loses its reach count.
  const response = {
    ...stored,
    ...(campaignId !== undefined && campaignIdSchema.safeParse(campaignId).success ? { campaignId } : {}),
    ...(analysis.success ? { analysis: analysis.data } : {}),
  } as ResponseRecord;
  return modify && added.success ? { response, added: added.data } : { response };
}

/**
 * The invitation event in a stream record's NEW_IMAGE: every insert and every transition of an invitation item
 * carries the `event` it stands for and its `eventAt`. Undefined when the record is not a readable one.
 */
export function invitationOfStreamRecord(record: DynamoDBRecord): InvitationChange | undefined {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return undefined;
  const item = newImageOf(record, 'invitation');
  if (!item) return undefined;
  const parsed = storedInvitationSchema.safeParse(item);
  return parsed.success ? parsed.data : undefined;
}
