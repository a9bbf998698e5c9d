import { describe, expect, it } from 'vitest';
import {
  conversationNumbersOf,
  type WebhookSource,
  webhookSourceInputSchema,
} from '#capture/rules/webhook.ts';
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

describe('the numbers a conversation campaign asks from', () => {
  const at = '2026-12-01T00:00:00.000Z';
  const source = (s: Partial<WebhookSource> & Pick<WebhookSource, 'name' | 'kind'>): WebhookSource => ({
    secrets: [],
    createdAt: at,
    updatedAt: at,
    ...s,
  });

  it('lists the conversation sources with their number, by name, and never a token or a secret', () => {
    const numbers = conversationNumbersOf([
      source({ name: 'zendesk', kind: 'zendesk', surveyId: 'demo' }),
      source({ name: 'texts', kind: 'sms', phoneNumber: '+15550100200', surveyId: 'demo' }),
      source({
        name: 'mx-whatsapp',
        kind: 'whatsapp',
        phoneNumberId: '1055500000',
        accessToken: 'EAAG-secret',
        verifyToken: 'verify-me-please',
        secrets: [{ value: 'ab'.repeat(16), addedAt: at }],
        templates: {
          pt: { name: 'pesquisa', language: 'pt_BR' },
          es: { name: 'encuesta', language: 'es_MX' },
        },
      }),
      // Without its number a source can send nothing: not offered.
      source({ name: 'half-made', kind: 'whatsapp' }),
    ]);
    expect(numbers).toEqual([
      { source: 'mx-whatsapp', channel: 'whatsapp', number: '1055500000', languages: ['es', 'pt'] },
      { source: 'texts', channel: 'sms', number: '+15550100200', surveyId: 'demo' },
    ]);
    expect(JSON.stringify(numbers)).not.toMatch(/secret|verify-me|abab/);
  });
});
