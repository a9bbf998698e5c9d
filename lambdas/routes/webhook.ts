import { receiptSchema } from '#capture/rules/response.ts';
import { webhookResponseSchema } from '#capture/rules/webhook.ts';
import { defineRoutes } from './route.ts';

/** Vendor webhooks (the webhook function): the signature is checked before the body is read. */
export const webhookRoutes = defineRoutes({
  'POST /v1/webhooks/{source}': {
    summary:
      'Vendor webhook signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)',
    auth: 'vendor-signature',
    body: { json: webhookResponseSchema, component: 'WebhookBody', readBy: 'implementation' },
    responses: {
      201: { description: 'Stored', schema: receiptSchema },
      200: { description: 'Already stored', schema: receiptSchema },
    },
    problems: [400, 401, 404, 409, 413, 415],
  },
});
