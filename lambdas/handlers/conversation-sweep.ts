import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { tableAdapters } from '#adapters/runtime.ts';
import { endQuietConversations } from '#conversations/use-cases/conversations.ts';
import { logger } from '#http/logger.ts';

const { conversations } = tableAdapters();
/** Conversations one run ends at most; any more end on the next run, five minutes later. */
const PER_RUN = 2_000;

/**
 * The quiet sweep (EventBridge schedule, every 5 minutes): ends the survey conversations whose customer went quiet
 * for their source's quiet time. "Now" is the scheduled event's time, so tests can run it as of any moment.
 */
export const handler = middy<ScheduledEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const now = event.time ? new Date(event.time) : new Date();
    const ended = await endQuietConversations({ conversations }, now, PER_RUN);
    logger.info('Quiet conversations ended', { ended, asOf: now.toISOString() });
    return { ended };
  });
