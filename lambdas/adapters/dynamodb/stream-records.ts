import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ResponseRecord } from '#domain/response.ts';
import * as z from '#domain/zod.ts';
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
});

/** The response in a stream record's NEW_IMAGE, or undefined when the record is not a readable response. */
export function responseOfStreamRecord(record: DynamoDBRecord): ResponseRecord | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image || image.type?.S !== 'response') return undefined;
  const parsed = storedResponseSchema.safeParse(
    responseFromItem(unmarshall(image as Record<string, AttributeValue>)),
  );
  return parsed.success ? (parsed.data as ResponseRecord) : undefined;
}
