import * as z from '#kernel/zod.ts';
import type { InboundMessage } from './conversation.ts';

const e164 = z.string().check(z.regex(/^\+[1-9]\d{6,14}$/));

/**
 * A customer's SMS to a two-way number, as AWS End User Messaging SMS publishes it to the number's SNS topic
 * (docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html). Other fields are let through unread.
 */
export const inboundSmsSchema = z.object({
  originationNumber: e164,
  destinationNumber: e164,
  messageBody: z.string().check(z.maxLength(1600)),
  inboundMessageId: z.string().check(z.minLength(1), z.maxLength(256)),
  messageKeyword: z.optional(z.string()),
  previousPublishedMessageId: z.optional(z.string()),
});
export type InboundSms = z.infer<typeof inboundSmsSchema>;

/** An SNS message's text read as an inbound SMS; undefined when it is not one (nothing retried will mend it). */
export function inboundSmsOf(text: string): InboundSms | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const read = inboundSmsSchema.safeParse(parsed);
  return read.success ? read.data : undefined;
}

/** The conversation's view of it: its business number and customer as digits, its id, its words. */
export function smsMessageOf(sms: InboundSms): InboundMessage {
  return {
    phoneNumberId: sms.destinationNumber.slice(1),
    from: sms.originationNumber.slice(1),
    id: sms.inboundMessageId,
    text: sms.messageBody,
  };
}
