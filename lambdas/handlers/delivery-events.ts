import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { logger } from '#http/logger.ts';
import { applyDeliveryEvent, parseSesEvent } from '#invitations/use-cases/delivery-events.ts';

const { invitations, suppressions, cases } = tableAdapters();

/**
 * SES deliveries, bounces and complaints (event publishing through SNS): counted on the invitation (or recorded on
 * the case of a customer's follow-up); bounces and complaints suppress the contact. SNS invokes asynchronously with
 * one record; a failure is retried by Lambda, and every write here is idempotent.
 */
export const handler = middy<SNSEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    for (const record of event.Records) {
      const delivery = parseSesEvent(record.Sns.Message);
      if (!delivery) {
        logger.warn('Skipped an SNS message that is not an SES event', { messageId: record.Sns.MessageId });
        continue;
      }
      await applyDeliveryEvent({ invitations, suppressions, cases }, delivery, systemClock.now());
      logger.info('Mail event', {
        kind: delivery.kind,
        invitation: delivery.invitation,
        followUp: delivery.followUp,
      });
    }
  });
