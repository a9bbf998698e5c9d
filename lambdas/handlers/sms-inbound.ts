import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { conversationDepsOf } from '#adapters/conversation-runtime.ts';
import { commentAnalyzer, tableAdapters } from '#adapters/runtime.ts';
import { inboundSmsOf, smsMessageOf } from '#conversations/rules/sms.ts';
import { onInboundMessage } from '#conversations/use-cases/conversations.ts';
import { logger } from '#http/logger.ts';

const { surveys, responses, webhookSources, conversations, suppressions } = tableAdapters();

/**
 * Customers' SMS to a two-way number (AWS End User Messaging SMS publishes each to the inbound SMS topic): read by
 * the conversation of the sms source whose number it is, as WhatsApp's messages are. SNS invokes asynchronously;
 * a failure is retried by Lambda and then kept in the dead-letter queue, and a message delivered again counts
 * nothing twice (its inboundMessageId). What is not an inbound SMS, or is to a number no source has, is logged and
 * dropped: no retry would mend it.
 */
export const handler = middy<SNSEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    for (const record of event.Records) {
      const sms = inboundSmsOf(record.Sns.Message);
      if (!sms) {
        logger.warn('Skipped an SNS message that is not an inbound SMS', { messageId: record.Sns.MessageId });
        continue;
      }
      const source = (await webhookSources.list()).find(
        (s) => s.kind === 'sms' && s.phoneNumber === sms.destinationNumber,
      );
      if (!source) {
        logger.warn('Skipped an SMS to a number no sms source has', { messageId: sms.inboundMessageId });
        continue;
      }
      const outcome = await onInboundMessage(
        conversationDepsOf(source, {
          surveys,
          responses,
          analyzer: commentAnalyzer(),
          conversations,
          suppressions,
        }),
        smsMessageOf(sms),
      );
      logger.info('Inbound SMS', { source: source.name, messageId: sms.inboundMessageId, outcome });
    }
  });
