import { describe, expect, it } from 'vitest';
import { webhookSourceInputSchema } from '#capture/rules/webhook.ts';
import { inboundSmsOf, smsMessageOf } from '#conversations/rules/sms.ts';

/** A customer's SMS as AWS End User Messaging SMS publishes it to the two-way number's topic. */
const published = {
  originationNumber: '+5215512345678',
  destinationNumber: '+15550100200',
  messageKeyword: 'KEYWORD_123456789012',
  messageBody: 'Nueve 😀, atención rápida',
  inboundMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
  previousPublishedMessageId: 'wJ0d3c4h4dW9sZXNzLXF1ZXN0aW9u',
};

describe('an inbound SMS', () => {
  it('reads End User Messaging’s payload as the conversation’s message: numbers as digits, its id, its words', () => {
    const sms = inboundSmsOf(JSON.stringify(published));
    expect(sms).toBeDefined();
    expect(smsMessageOf(sms as NonNullable<typeof sms>)).toEqual({
      phoneNumberId: '15550100200',
      from: '5215512345678',
      id: 'cae173d2-66b9-564c-8309-21f858e9fb84',
      text: 'Nueve 😀, atención rápida',
    });
  });

  it('lets fields it does not read through, and needs no keyword', () => {
    const { messageKeyword: _, ...bare } = published;
    expect(inboundSmsOf(JSON.stringify({ ...bare, carrier: 'x' }))?.messageBody).toBe(published.messageBody);
  });

  it.each([
    ['not JSON', 'STOP'],
    ['a number that is not E.164', JSON.stringify({ ...published, originationNumber: '5512345678' })],
    ['no message id', JSON.stringify({ ...published, inboundMessageId: '' })],
    ['a body longer than ten SMS', JSON.stringify({ ...published, messageBody: 'x'.repeat(1601) })],
    ['an array', '[]'],
  ])('is none when it is %s', (_, text) => {
    expect(inboundSmsOf(text)).toBeUndefined();
  });
});

describe('an sms source', () => {
  it('names its two-way number and its survey, and takes no secret', () => {
    expect(
      webhookSourceInputSchema.safeParse({ kind: 'sms', phoneNumber: '+15550100200', surveyId: 'demo' })
        .success,
    ).toBe(true);
    const missing = webhookSourceInputSchema.safeParse({ kind: 'sms' });
    expect(missing.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['phoneNumber', 'surveyId']);
    expect(
      webhookSourceInputSchema.safeParse({ kind: 'sms', phoneNumber: '15550100200', surveyId: 'demo' })
        .success,
    ).toBe(false);
    expect(
      webhookSourceInputSchema.safeParse({
        kind: 'sms',
        phoneNumber: '+15550100200',
        surveyId: 'demo',
        secret: 'x'.repeat(32),
      }).success,
    ).toBe(false);
  });
});
