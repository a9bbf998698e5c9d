import { receiptSchema, responseInputSchema } from '#capture/rules/response.ts';
import { defineRoutes } from './route.ts';

/** The JSON response API of apps and kiosks (the submit-response function). */
export const submitResponseRoutes = defineRoutes({
  'POST /v1/responses': {
    summary: 'Record a response; the same submissionId again changes nothing',
    auth: 'public',
    body: { json: responseInputSchema, component: 'ResponseInput' },
    responses: {
      201: { description: 'Stored', schema: receiptSchema },
      200: { description: 'Already stored', schema: receiptSchema },
    },
    problems: [400, 404, 409, 413, 415],
  },
});
