import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { campaignQueue } from '#adapters/campaign-runtime.ts';
import { tableAdapters } from '#adapters/runtime.ts';
import { logger } from '#http/logger.ts';
import { queueReminders } from '#invitations/use-cases/send-invitations.ts';

const { campaigns, invitations } = tableAdapters();
const queue = campaignQueue();

/**
 * The hourly reminder sweep (EventBridge schedule). "Now" is the scheduled event's time, so a missed or
 * replayed run reminds as of when it was due, and tests can run it as of any day.
 */
export const handler = middy<ScheduledEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const now = event.time ? new Date(event.time) : new Date();
    const queued = await queueReminders({ campaigns, invitations, queue }, now);
    logger.info('Reminders queued', { queued, asOf: now.toISOString() });
    return { queued };
  });
