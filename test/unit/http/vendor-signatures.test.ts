import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '#http/errors.ts';
import {
  metaSignature,
  twilioSignedUrl,
  verifyMeta,
  verifyTwilio,
  verifyZendesk,
  zendeskSignature,
} from '#http/vendor-signatures.ts';

const TOKEN = '0123456789abcdef0123456789abcdef';
const CONSOLE_URL = 'https://api.example.com/v1/webhooks/twilio-ivr';

/** A request as API Gateway hands it over, whatever host Twilio called. */
const eventOf = (body: string, headers: Record<string, string>, rawQueryString = '') =>
  ({
    rawPath: '/v1/webhooks/twilio-ivr',
    rawQueryString,
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', ...headers },
    body,
  }) as unknown as APIGatewayProxyEventV2;

/** A form post signed as Twilio signs it, by Twilio's own library. */
function twilioForm(fields: Record<string, string>, token = TOKEN, url = CONSOLE_URL) {
  const body = new URLSearchParams(fields).toString();
  return { body, signature: getExpectedTwilioSignature(token, url, fields) };
}

/** A JSON post as Twilio signs it: the body's SHA-256 goes in the URL's `bodySHA256`, and the URL is signed. */
function twilioJson(value: unknown, token = TOKEN) {
  const body = JSON.stringify(value);
  const query = `bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
  return { body, query, signature: getExpectedTwilioSignature(token, `${CONSOLE_URL}?${query}`, {}) };
}

const fields = { CallSid: `CA${'a'.repeat(32)}`, question: 'nps', answer: '9', survey: 'demo' };

describe('Twilio signatures', () => {
  it('accepts a form post signed over the console URL and its fields sorted by name', () => {
    const { body, signature } = twilioForm(fields);
    expect(() =>
      verifyTwilio(eventOf(body, { 'x-twilio-signature': signature }), body, CONSOLE_URL, [TOKEN]),
    ).not.toThrow();
  });

  it('accepts a JSON post whose body hash is in the signed URL', () => {
    const { body, query, signature } = twilioJson(fields);
    const event = eventOf(body, { 'x-twilio-signature': signature }, query);
    expect(() => verifyTwilio(event, body, CONSOLE_URL, [TOKEN])).not.toThrow();
  });

  it('accepts the token being rotated in, and the one it replaces', () => {
    const { body, signature } = twilioForm(fields);
    const event = eventOf(body, { 'x-twilio-signature': signature });
    expect(() => verifyTwilio(event, body, CONSOLE_URL, ['f'.repeat(32), TOKEN])).not.toThrow();
  });

  it('signs the query string Twilio called, on the console URL', () => {
    expect(twilioSignedUrl(`${CONSOLE_URL}?survey=old`, 'survey=demo&lang=es')).toBe(
      `${CONSOLE_URL}?survey=demo&lang=es`,
    );
    expect(twilioSignedUrl(CONSOLE_URL, '')).toBe(CONSOLE_URL);
  });

  it.each([
    ['a wrong auth token', () => twilioForm(fields, 'b'.repeat(32)), {}],
    [
      'a tampered field',
      () => ({ ...twilioForm(fields), body: new URLSearchParams({ ...fields, answer: '10' }).toString() }),
      {},
    ],
    [
      'a URL other than the console one',
      () => twilioForm(fields, TOKEN, 'https://evil.example.com/hook'),
      {},
    ],
  ])('refuses %s (form)', (_, make) => {
    const { body, signature } = make();
    const event = eventOf(body, { 'x-twilio-signature': signature });
    expect(() => verifyTwilio(event, body, CONSOLE_URL, [TOKEN])).toThrow(UnauthorizedError);
  });

  it('refuses a JSON body changed after it was signed', () => {
    const { query, signature } = twilioJson(fields);
    const tampered = JSON.stringify({ ...fields, answer: '0' });
    const event = eventOf(tampered, { 'x-twilio-signature': signature }, query);
    expect(() => verifyTwilio(event, tampered, CONSOLE_URL, [TOKEN])).toThrow(UnauthorizedError);
  });

  it('refuses a request without X-Twilio-Signature', () => {
    const { body } = twilioForm(fields);
    expect(() => verifyTwilio(eventOf(body, {}), body, CONSOLE_URL, [TOKEN])).toThrow(
      /Missing X-Twilio-Signature/,
    );
  });
});

describe('Zendesk signatures', () => {
  // Zendesk's documented test secret, used as text (not base64-decoded), over timestamp + body.
  const SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
  const BODY = '{"ticket":{"id":"42"},"satisfaction":{"rating":"bad","comment":"Nadie respondió"}}';
  const AT = '2026-12-03T10:00:00Z';
  const now = new Date('2026-12-03T10:02:00Z');
  const headers = (signature: string, timestamp = AT) => ({
    'x-zendesk-webhook-signature': signature,
    'x-zendesk-webhook-signature-timestamp': timestamp,
  });

  it('signs the timestamp followed by the body: the pinned vector', () => {
    expect(zendeskSignature(SECRET, AT, BODY)).toBe('Kp6qy5X1EIs9RVTtsD1LpgB71tt6jxKAEZGZN0nHdGA=');
  });

  it('accepts the pinned vector, and refuses the same bytes signed body first', () => {
    expect(() =>
      verifyZendesk(BODY, headers('Kp6qy5X1EIs9RVTtsD1LpgB71tt6jxKAEZGZN0nHdGA='), [SECRET], now),
    ).not.toThrow();
    expect(() =>
      verifyZendesk(BODY, headers('/EMe27IZFKcK7j/jrhmbZRgJokSjI0C6qQkdDTJI+AU='), [SECRET], now),
    ).toThrow(UnauthorizedError);
  });

  it.each([
    ['a wrong secret', () => headers(zendeskSignature('another-secret-of-zendesk', AT, BODY)), BODY],
    ['a tampered body', () => headers(zendeskSignature(SECRET, AT, BODY)), BODY.replace('bad', 'good')],
    [
      'a stale timestamp',
      () => headers(zendeskSignature(SECRET, '2026-12-03T09:50:00Z', BODY), '2026-12-03T09:50:00Z'),
      BODY,
    ],
    [
      'a timestamp from the future',
      () => headers(zendeskSignature(SECRET, '2026-12-03T10:30:00Z', BODY), '2026-12-03T10:30:00Z'),
      BODY,
    ],
    [
      'a timestamp that is not ISO 8601',
      () => headers(zendeskSignature(SECRET, '1764756000', BODY), '1764756000'),
      BODY,
    ],
    ['no signature', () => ({ 'x-zendesk-webhook-signature-timestamp': AT }), BODY],
    ['no timestamp', () => ({ 'x-zendesk-webhook-signature': zendeskSignature(SECRET, AT, BODY) }), BODY],
  ])('refuses %s', (_, make, body) => {
    expect(() => verifyZendesk(body, make(), [SECRET], now)).toThrow(UnauthorizedError);
  });

  it('accepts accents and emoji, byte for byte', () => {
    const body = '{"ticket":{"id":"7"},"satisfaction":{"rating":"good","comment":"Ótimo atendimento 👍"}}';
    expect(() =>
      verifyZendesk(body, headers(zendeskSignature(SECRET, AT, body)), [SECRET], now),
    ).not.toThrow();
  });
});

describe('Meta (WhatsApp) signatures', () => {
  const SECRET = '0123456789abcdef0123456789abcdef';
  // Meta sends non-ASCII text as it is or as \u escapes; either way the raw bytes are what it signed.
  const BODY =
    '{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"id":"wamid.1","text":{"body":"Ótimo atendimento 👍, não demorou"}}]}}]}]}';

  it('signs the raw bytes as sha256= and hex: the vector openssl gives', () => {
    // printf '{"a":1}' | openssl dgst -sha256 -hmac secret
    expect(metaSignature('secret', '{"a":1}')).toBe(
      'sha256=aa9e2e3575f5d7098b6caccd790888c36d5fdb63342a73bada2d6a51747a8494',
    );
  });

  it('accepts accents and emoji, and the secret being rotated in', () => {
    const headers = { 'x-hub-signature-256': metaSignature(SECRET, BODY) };
    expect(() => verifyMeta(BODY, headers, [SECRET])).not.toThrow();
    expect(() => verifyMeta(BODY, headers, ['f'.repeat(32), SECRET])).not.toThrow();
  });

  it.each([
    ['a wrong app secret', { 'x-hub-signature-256': metaSignature('f'.repeat(32), BODY) }, BODY],
    [
      'a tampered body',
      { 'x-hub-signature-256': metaSignature(SECRET, BODY) },
      BODY.replace('Ótimo', 'Péssimo'),
    ],
    ['no signature', {}, BODY],
    ['a signature without sha256=', { 'x-hub-signature-256': metaSignature(SECRET, BODY).slice(7) }, BODY],
    ['a signature of the wrong length', { 'x-hub-signature-256': `${metaSignature(SECRET, BODY)}00` }, BODY],
  ])('refuses %s', (_, headers, body) => {
    expect(() => verifyMeta(body, headers as Record<string, string>, [SECRET])).toThrow(UnauthorizedError);
  });
});
