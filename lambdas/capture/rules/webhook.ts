import * as z from '#kernel/zod.ts';
import { responseInputSchema } from './response.ts';

/** A `generic` webhook body is the JSON of POST /v1/responses; the submission id may come from `webhook-id`. */
export const webhookResponseSchema = z.partial(responseInputSchema, { submissionId: true });
