import * as z from '#kernel/zod.ts';
import { responseInputSchema } from './response.ts';

/** A `generic` webhook body is the JSON of POST /v1/responses; the submission id may come from `webhook-id`. */
export const webhookResponseSchema = z.partial(responseInputSchema, { submissionId: true });

/** A webhook source name: `typeform`, `kiosk-eu`... */
export const WEBHOOK_SOURCE_PATTERN = /^[a-z0-9-]{1,32}$/;

/** `PUT /v1/webhooks/{source}/secret`: one secret, or two while rotating. */
export const webhookSecretsSchema = z.strictObject({
  /** Standard Webhooks secret: `whsec_` + base64 of 24 to 64 random bytes. */
  secrets: z
    .array(
      z.string().check(z.regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'expected whsec_ followed by base64')),
    )
    .check(z.minLength(1), z.maxLength(2)),
});
