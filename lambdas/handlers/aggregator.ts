import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { invitationOfStreamRecord, responseOfStreamRecord } from '#adapters/dynamodb/stream-records.ts';
import { sesMailer, snsNotifier, systemClock, tableAdapters } from '#adapters/runtime.ts';
import { foldBatch, LaneMemory } from '#aggregation/use-cases/fold-batch.ts';
import type { ResponseRecord } from '#capture/rules/response.ts';
import { logger } from '#http/logger.ts';
import { watchedSegments } from '#loop/rules/thresholds.ts';
import { checkThresholds } from '#loop/use-cases/check-thresholds.ts';
import { renderThresholdEmail } from '#views/threshold-email.ts';

const { surveys, aggregates, lanes, thresholdStates, routing } = tableAdapters();
const memory = new LaneMemory();
const thresholds = {
  aggregates,
  states: thresholdStates,
  notifier: snsNotifier(),
  email: { mailer: sesMailer(), routing, render: renderThresholdEmail },
};

/**
 * After a fold, the threshold rules of the segments it touched are checked against what was just written. A
 * failed check is logged and left to the next batch of that segment: it never fails the fold.
 */
async function checkTouched(responses: readonly ResponseRecord[]): Promise<void> {
  const seen = new Set<string>();
  for (const r of responses) {
    const survey = await surveys.get(r.surveyId);
    if (!survey || survey.thresholds.length === 0) continue;
    for (const segment of watchedSegments(survey, r.attributes)) {
      const id = `${survey.id}\n${segment.key}\n${segment.value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      try {
        const events = await checkThresholds(thresholds, survey, segment, systemClock.now());
        for (const e of events)
          logger.info('Threshold', { kind: e.kind, rule: e.ruleId, segment, score: e.score, n: e.n });
      } catch (err) {
        logger.error('Threshold check failed', err as Error);
      }
    }
  }
}

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
    if (!result.retryFrom) await checkTouched(records.flatMap((r) => (r.response ? [r.response] : [])));
    return { batchItemFailures: result.retryFrom ? [{ itemIdentifier: result.retryFrom }] : [] };
  });
