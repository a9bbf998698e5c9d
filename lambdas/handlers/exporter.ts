import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { exportFiles } from '#adapters/export-runtime.ts';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { logger } from '#http/logger.ts';
import { runExport } from '#insight/use-cases/exports.ts';

const { surveys, exports, responseScan, segmentValues, aggregates } = tableAdapters();
const deps = {
  surveys,
  exports,
  responses: responseScan,
  segmentValues,
  aggregates,
  files: exportFiles(),
  clock: systemClock,
};
const processor = new BatchProcessor(EventType.SQS);

async function onRecord(record: SQSRecord): Promise<void> {
  let exportId: unknown;
  try {
    exportId = (JSON.parse(record.body) as { exportId?: unknown }).exportId;
  } catch {
    exportId = undefined;
  }
  if (typeof exportId !== 'string') {
    logger.warn('Skipped a message that names no export', { messageId: record.messageId });
    return;
  }
  const job = await exports.get(exportId);
  if (!job) {
    logger.warn('Skipped an export that is not stored (expired?)', { exportId });
    return;
  }
  const outcome = await runExport(deps, job);
  if (outcome.outcome === 'failed') {
    logger.error('Export failed', { exportId, error: outcome.error as Error });
  } else {
    logger.info('Export', { exportId, ...outcome });
  }
}

/** Writes each asked-for export as a CSV file in the exports bucket (one message per invocation). */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event, context) => processPartialResponse(event, onRecord, processor, { context }));
