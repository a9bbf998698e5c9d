import { receiptSchema } from '#capture/rules/response.ts';
import { webhookResponseSchema } from '#capture/rules/webhook.ts';
import * as z from '#kernel/zod.ts';
import { defineRoutes } from './route.ts';

/** Meta's verification request when a WhatsApp webhook is set up (`hub.*`). */
const verificationQuery = z.object({
  'hub.mode': z.optional(z.string().check(z.maxLength(32))),
  'hub.verify_token': z.optional(z.string().check(z.maxLength(256))),
  'hub.challenge': z.optional(z.string().check(z.maxLength(256))),
});

/** Vendor webhooks (the webhook function): the signature is checked before the body is read. */
export const webhookRoutes = defineRoutes({
  'GET /v1/webhooks/{source}': {
    summary:
      "Meta's verification of a whatsapp source: answers hub.challenge (text/plain) when hub.mode is subscribe and hub.verify_token is the source's",
    auth: 'vendor-signature',
    query: verificationQuery,
    responses: { 200: 'hub.challenge, as text/plain' },
    problems: [400, 403, 404],
  },
  'POST /v1/webhooks/{source}': {
    summary:
      "Vendor webhook, signed as the source's kind signs: Standard Webhooks, Twilio, Zendesk, or Meta's X-Hub-Signature-256 (WhatsApp: a customer's reply in a survey conversation)",
    auth: 'vendor-signature',
    body: { json: webhookResponseSchema, component: 'WebhookBody', readBy: 'implementation' },
    responses: {
      201: { description: 'Stored', schema: receiptSchema },
      200: { description: 'Already stored', schema: receiptSchema },
    },
    problems: [400, 401, 404, 409, 413, 415],
  },
});
