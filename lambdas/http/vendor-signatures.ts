import { createHmac, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { validateRequest, validateRequestWithBody } from 'twilio/lib/webhooks/webhooks.js';
import { ZENDESK_REPLAY_WINDOW_SECONDS } from '#capture/rules/webhook.ts';
import { UnauthorizedError } from './errors.ts';

type Headers = Readonly<Record<string, string | undefined>>;

/**
 * The URL Twilio signed: the one set in its console (kept per source: API Gateway's own host and stage are not
 * what Twilio called), with the query string of the request as it came (Twilio adds `bodySHA256` to a JSON post).
 */
export function twilioSignedUrl(consoleUrl: string, rawQueryString: string | undefined): string {
  const base = consoleUrl.replace(/[?#].*$/, '');
  return rawQueryString ? `${base}?${rawQueryString}` : base;
}

/** Form fields as Twilio's validator takes them: a repeated field as a list. */
export function formFields(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const had = fields[key];
    fields[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return fields;
}

/**
 * Checks X-Twilio-Signature with Twilio's own validator: a form post is signed over the URL and its fields sorted
 * by name (validateRequest); a JSON post over the URL, whose `bodySHA256` is the body's hash
 * (validateRequestWithBody). Any of the source's live secrets (its auth tokens while rotating) may have signed.
 */
export function verifyTwilio(
  event: APIGatewayProxyEventV2,
  body: string,
  consoleUrl: string,
  secrets: readonly string[],
): void {
  const headers: Headers = event.headers ?? {};
  const signature = headers['x-twilio-signature'];
  if (!signature) throw new UnauthorizedError('Missing X-Twilio-Signature header.');
  const url = twilioSignedUrl(consoleUrl, event.rawQueryString);
  const json = new URLSearchParams(event.rawQueryString ?? '').has('bodySHA256');
  const fields = json ? {} : formFields(body);
  const valid = secrets.some((token) =>
    json
      ? validateRequestWithBody(token, signature, url, body)
      : validateRequest(token, signature, url, fields),
  );
  if (!valid) throw new UnauthorizedError('The Twilio signature does not match the URL and body.');
}

/** Whether one of the live secrets made this signature, each compared in constant time. */
function signedByAny(
  signature: string,
  secrets: readonly string[],
  sign: (secret: string) => string,
): boolean {
  const given = Buffer.from(signature, 'utf8');
  return secrets.some((secret) => {
    const expected = Buffer.from(sign(secret), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

/**
 * Zendesk's signature: base64 of HMAC-SHA256, keyed with the signing secret as text, over the timestamp followed by
 * the raw body (`timestamp + body`, no separator; docs/decisions/0021 says why this order). The timestamp is ISO
 * 8601 and must be within five minutes of now, so a captured request cannot be played later.
 */
export function zendeskSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret)
    .update(timestamp + body, 'utf8')
    .digest('base64');
}

export function verifyZendesk(body: string, headers: Headers, secrets: readonly string[], now: Date): void {
  const signature = headers['x-zendesk-webhook-signature'];
  const timestamp = headers['x-zendesk-webhook-signature-timestamp'];
  if (!signature || !timestamp)
    throw new UnauthorizedError(
      'Missing X-Zendesk-Webhook-Signature or X-Zendesk-Webhook-Signature-Timestamp header.',
    );
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(timestamp)
    ? Date.parse(timestamp)
    : Number.NaN;
  if (Number.isNaN(at))
    throw new UnauthorizedError('The Zendesk signature timestamp is not an ISO 8601 time.');
  if (Math.abs(now.getTime() - at) > ZENDESK_REPLAY_WINDOW_SECONDS * 1000)
    throw new UnauthorizedError('Webhook rejected: the Zendesk signature timestamp is too old or too new.');
  if (!signedByAny(signature, secrets, (secret) => zendeskSignature(secret, timestamp, body)))
    throw new UnauthorizedError('The Zendesk signature does not match the body.');
}

/** Meta's signature of a webhook delivery: `sha256=` and the hex HMAC-SHA256 of the raw bytes with the app secret. */
export function metaSignature(appSecret: string, body: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')}`;
}

/**
 * Checks X-Hub-Signature-256 (WhatsApp Business Cloud API, and every Meta webhook) in constant time, against any
 * of the source's live app secrets. The raw body is what Meta signed, escapes and all: it is never re-serialized.
 */
export function verifyMeta(body: string, headers: Headers, secrets: readonly string[]): void {
  const signature = headers['x-hub-signature-256'];
  if (!signature) throw new UnauthorizedError('Missing X-Hub-Signature-256 header.');
  if (!/^sha256=[0-9a-f]{64}$/.test(signature))
    throw new UnauthorizedError('X-Hub-Signature-256 must be sha256= and 64 hex digits.');
  if (!signedByAny(signature, secrets, (secret) => metaSignature(secret, body)))
    throw new UnauthorizedError('The X-Hub-Signature-256 signature does not match the body.');
}
