import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { attributesSchema, campaignIdSchema, type ResponseRecord } from '#capture/rules/response.ts';
import { type InvitationChange, REACH_EVENTS } from '#invitations/rules/reach.ts';
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

/** The response in a stream record's NEW_IMAGE, or undefined when the record is not a readable response. */
export function responseOfStreamRecord(record: DynamoDBRecord): ResponseRecord | undefined {
  const item = record.eventName === 'INSERT' ? newImageOf(record, 'response') : undefined;
  if (!item) return undefined;
  const parsed = storedResponseSchema.safeParse(responseFromItem(item));
  if (!parsed.success) return undefined;
  const { campaignId, ...response } = parsed.data;
  // A malformed campaign id must not cost the response its survey aggregates: it only loses its reach count.
  return (
    campaignId !== undefined && campaignIdSchema.safeParse(campaignId).success
      ? { ...response, campaignId }
      : response
  ) as ResponseRecord;
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
