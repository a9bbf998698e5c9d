import { createHash, randomUUID } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { zendeskSignature } from '#http/vendor-signatures.ts';

/** A request as a vendor would send it: where, with which headers and which bytes. */
export interface VendorRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A Twilio Studio HTTP Request widget's post, signed as Twilio signs it (Twilio's own library): a form is signed
 * over the URL and its fields; a JSON body through `bodySHA256`, the body's hash Twilio adds to the URL.
 */
export function twilioRequest(
  source: { readonly url: string; readonly authToken: string },
  fields: Readonly<Record<string, string>> | Readonly<Record<string, unknown>>,
  { json = false }: { readonly json?: boolean } = {},
): VendorRequest {
  if (json) {
    const body = JSON.stringify(fields);
    const separator = source.url.includes('?') ? '&' : '?';
    const url = `${source.url}${separator}bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const signature = getExpectedTwilioSignature(source.authToken, url, {});
    return { url, headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, body };
  }
  const form = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return {
    url: source.url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(source.authToken, source.url, form),
    },
    body: new URLSearchParams(form).toString(),
  };
}

/** A Zendesk trigger's webhook, signed as Zendesk documents it (timestamp + body, docs/decisions/0021). */
export function zendeskRequest(
  source: { readonly url: string; readonly signingSecret: string },
  body: unknown,
  at = new Date(),
): VendorRequest {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  // Zendesk's timestamps are ISO 8601 to the second.
  const timestamp = `${at.toISOString().slice(0, 19)}Z`;
  return {
    url: source.url,
    headers: {
      'content-type': 'application/json',
      'x-zendesk-webhook-signature': zendeskSignature(source.signingSecret, timestamp, text),
      'x-zendesk-webhook-signature-timestamp': timestamp,
    },
    body: text,
  };
}

/** Sends a vendor's request; answers with its status and body. */
export async function send(request: VendorRequest): Promise<{ status: number; text: string }> {
  const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  return { status: res.status, text: await res.text() };
}

/**
 * A customer's SMS to a two-way number, as AWS End User Messaging SMS publishes it to the number's SNS topic
 * (its two-way channel): the message for an SNS Publish to the inbound SMS topic.
 */
export function inboundSms(sms: {
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly id?: string;
}): string {
  return JSON.stringify({
    originationNumber: sms.from,
    destinationNumber: sms.to,
    messageKeyword: 'KEYWORD_LOCAL',
    messageBody: sms.text,
    inboundMessageId: sms.id ?? randomUUID(),
    previousPublishedMessageId: randomUUID(),
  });
}
