import * as z from '#kernel/zod.ts';
import { defineRoutes } from './route.ts';

const token = z.optional(z.string());
const linkQuery = z.looseObject({ t: token, lang: token });

/** The signed links of case emails (the case-links function). */
export const caseLinksRoutes = defineRoutes({
  'GET /c/{caseId}/acknowledge': {
    summary:
      'The one-click acknowledge link of an alert email (?t= signed per case and recipient): asks first',
    auth: 'signed-link',
    query: linkQuery,
    responses: { 200: 'A page with one button', 403: 'Not valid', 410: 'Expired' },
  },
  'POST /c/{caseId}/acknowledge': {
    summary: 'Acknowledge the case in the name of the person the link was sent to',
    auth: 'signed-link',
    query: linkQuery,
    responses: { 200: 'Acknowledged, or already acknowledged', 403: 'Not valid', 410: 'Expired' },
  },
  'GET /c/{caseId}/follow-up': {
    summary:
      "The customer's one question after their case was resolved (?t= signed per case, 14 days): how satisfied with how it was handled, 1-5",
    auth: 'signed-link',
    query: linkQuery,
    responses: { 200: 'The question, or a page saying it was answered', 403: 'Not valid', 410: 'Expired' },
  },
  'POST /c/{caseId}/follow-up': {
    summary: 'Record the answer (urlencoded `recovery` = 1-5), once; 4 or 5 counts the customer as recovered',
    auth: 'signed-link',
    body: { form: z.looseObject({ recovery: token, t: token, locale: token }), readBy: 'implementation' },
    responses: {
      200: 'Thank-you page',
      400: 'The page again, with the error next to the question',
      403: 'Not valid',
      409: 'Answered already: nothing changed',
      410: 'Expired',
    },
  },
});
