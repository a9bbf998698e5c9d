import { responseInputSchema } from './response.ts';

/** A `generic` webhook body is the JSON of POST /v1/responses; the submission id may come from `webhook-id`. */
export const webhookResponseSchema = responseInputSchema.partial({ submissionId: true });
