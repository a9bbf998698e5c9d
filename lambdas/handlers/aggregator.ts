import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { countedOfStreamRecord, invitationOfStreamRecord } from '#adapters/dynamodb/stream-records.ts';
import { sesMailer, snsNotifier, systemClock, tableAdapters } from '#adapters/runtime.ts';
import { foldBatch, LaneMemory } from '#aggregation/use-cases/fold-batch.ts';
import { noteSegments, SegmentMemory } from '#aggregation/use-cases/note-segments.ts';
import { logger } from '#http/logger.ts';
import { checkTouchedSegments, type TouchedReport } from '#loop/use-cases/check-touched.ts';
import { renderThresholdEmail } from '#views/threshold-email.ts';

const { surveys, aggregates, lanes, thresholdStates, routing, segmentValues } = tableAdapters();
const memory = new LaneMemory();
const segments = { surveys, catalogue: segmentValues, memory: new SegmentMemory() };
const thresholds = {
  surveys,
  clock: systemClock,
  aggregates,
  states: thresholdStates,
  notifier: snsNotifier(),
  email: { mailer: sesMailer(), routing, render: renderThresholdEmail },
};
const thresholdLog: TouchedReport = {
  onEvent: (e, segment) =>
    logger.info('Threshold', { kind: e.kind, rule: e.ruleId, segment, score: e.score, n: e.n }),
  onError: (err) => logger.error('Threshold check failed', err as Error),
};

/**
 * Folds each stream batch into daily aggregates and campaign reach, counting every response and every invitation
 * event once. It folds the batch as a whole (one write per item), so it does not use Powertools' per-record
 * BatchProcessor; it answers with the same partial batch response, naming the earliest record not fully counted.
 * Segment values new to the catalogue (the Segments screen lists them) are noted first; the threshold rules of
 * the segments a successful fold touched are checked after it.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const records = event.Records.map((r) => {
      const counted = countedOfStreamRecord(r);
      const invitation = counted ? undefined : invitationOfStreamRecord(r);
      return {
        eventId: r.eventID ?? '',
        sequenceNumber: r.dynamodb?.SequenceNumber ?? '',
        response: counted?.response,
        later: counted?.later,
        analysed: counted?.analysed,
        invitation,
      };
    });
    const unreadable = records.filter((r) => !r.response && !r.invitation);
    if (unreadable.length > 0)
      logger.warn('Skipped stream records that are not readable responses or invitation events', {
        unreadable: unreadable.length,
        eventIds: unreadable.slice(0, 10).map((r) => r.eventId),
      });
    const responses = records.flatMap((r) => (r.response ? [r.response] : []));
    // Before the fold: when it fails, Lambda hands the batch again and nothing is counted twice.
    const noted = await noteSegments(segments, responses);
    if (noted.added > 0) logger.info('New segment values', noted);
    const result = await foldBatch({ surveys, aggregates, lanes, memory, clock: systemClock }, records);
    const { lane, itemsWritten, writeUnits, retryFrom } = result;
    logger.info('Folded batch', { records: records.length, lane, itemsWritten, writeUnits, retryFrom });
    for (const err of result.errors) logger.error('Aggregate write failed', err as Error);
    if (retryFrom) return { batchItemFailures: [{ itemIdentifier: retryFrom }] };
    await checkTouchedSegments(thresholds, responses, thresholdLog);
    return { batchItemFailures: [] };
  });
