import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { responseOfStreamRecord } from '#adapters/dynamodb/stream-records.ts';
import { requireEnv, sesMailer, snsNotifier, systemClock, tableAdapters } from '#adapters/runtime.ts';
import { alertEmailOf } from '#http/alert-email.ts';
import { logger } from '#http/logger.ts';
import { CASE_LINK_KEY } from '#loop/rules/case-links.ts';
import { DEFAULT_ALERTS_PER_OWNER_HOUR } from '#loop/rules/digests.ts';
import { raiseAlerts } from '#loop/use-cases/raise-alerts.ts';

const { surveys, cases, routing, signingKeys, alertBudget } = tableAdapters();
const publicUrl = requireEnv('PUBLIC_URL');
const deps = {
  surveys,
  cases,
  routing,
  budget: alertBudget,
  alertsPerOwnerHour: Number(process.env.ALERTS_PER_OWNER_HOUR ?? DEFAULT_ALERTS_PER_OWNER_HOUR),
  notifier: snsNotifier(),
  mailer: sesMailer(),
  clock: systemClock,
  renderEmail: alertEmailOf(publicUrl, () => signingKeys.get(CASE_LINK_KEY)),
};
const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function onRecord(record: DynamoDBRecord): Promise<void> {
  const response = responseOfStreamRecord(record);
  if (!response) {
    logger.warn('Skipped a stream record that is not a readable response', { eventId: record.eventID });
    return;
  }
  const outcome = await raiseAlerts(deps, response);
  // Answers past the survey's alertWithinHours (a backlog, an imported history) are counted, not alerted: no log line each.
  if (outcome !== 'no-rule-fired' && outcome !== 'too-late')
    logger.info('Alert', { outcome, surveyId: response.surveyId });
}

/** Opens a case for each bad answer and tells its owner; a failed record is retried alone (partial batch response). */
export const handler = middy<DynamoDBStreamEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event, context) => processPartialResponse(event, onRecord, processor, { context }));
