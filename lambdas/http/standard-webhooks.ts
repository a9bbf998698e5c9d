import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { UnauthorizedError } from './errors.ts';

/**
 * Verifies a Standard Webhooks signature (HMAC-SHA256 over id.timestamp.body, 5-minute window) against any of the
 * source's current secrets (more than one while rotating). Returns the webhook id.
 */
export function verifyStandardWebhook(
  body: string,
  headers: Readonly<Record<string, string | undefined>>,
  secrets: readonly string[],
): string {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature) {
    throw new UnauthorizedError('Missing webhook-id, webhook-timestamp or webhook-signature header.');
  }
  if (!/^[\w.:-]{1,128}$/.test(id)) throw new UnauthorizedError('The webhook-id header is malformed.');
  for (const secret of secrets) {
    try {
      // The body is parsed later, by the caller: a signed body that is not JSON is a 400, not a crash here.
      new Webhook(secret).verify(
        body,
        { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
        { jsonParse: false },
      );
      return id;
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      if (/timestamp/i.test(err.message)) throw new UnauthorizedError(`Webhook rejected: ${err.message}.`);
    }
  }
  throw new UnauthorizedError('The webhook signature does not match.');
}
