import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { invitationOfStreamRecord, responseOfStreamRecord } from '#adapters/dynamodb/stream-records.ts';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { foldBatch, LaneMemory } from '#domain/fold-batch.ts';
import { logger } from '../http/logger.ts';

const { surveys, aggregates, lanes } = tableAdapters();
const memory = new LaneMemory();

/**
 * Folds each stream batch into daily aggregates and campaign reach, counting every response and every invitation
 * event once. It folds the batch as a whole (one write per item), so it does not use Powertools' per-record
 * BatchProcessor; it answers with the same partial batch response, naming the earliest record not fully counted.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const records = event.Records.map((r) => {
      const response = responseOfStreamRecord(r);
      return {
        eventId: r.eventID ?? '',
        sequenceNumber: r.dynamodb?.SequenceNumber ?? '',
        response,
        invitation: response ? undefined : invitationOfStreamRecord(r),
      };
    });
    const unreadable = records.filter((r) => !r.response && !r.invitation);
    if (unreadable.length > 0)
      logger.warn('Skipped stream records that are not readable responses or invitation events', {
        unreadable: unreadable.length,
        eventIds: unreadable.slice(0, 10).map((r) => r.eventId),
      });
    const result = await foldBatch({ surveys, aggregates, lanes, memory, clock: systemClock }, records);
    logger.info('Folded batch', {
      records: records.length,
      lane: result.lane,
      itemsWritten: result.itemsWritten,
      writeUnits: result.writeUnits,
      retryFrom: result.retryFrom,
    });
    for (const err of result.errors) logger.error('Aggregate write failed', err as Error);
    return { batchItemFailures: result.retryFrom ? [{ itemIdentifier: result.retryFrom }] : [] };
  });
