import * as z from '#kernel/zod.ts';
import { defineRoutes } from './route.ts';

const token = z.optional(z.string());
/** lang, t, sig and score; every other parameter is a segment attribute, signed by sig. */
const pageQuery = z.looseObject({ lang: token, t: token, sig: token, score: token });
/** The page's own form: answers by question id, `attr.<key>` attributes, and what rides along. */
const surveyForm = z.looseObject({ submissionId: token, locale: token, t: token, sig: token });

/** The survey page and the unsubscribe page of invitations (the survey-page function). */
export const surveyPageRoutes = defineRoutes({
  'GET /s/{surveyId}': {
    summary:
      'Survey page (HTML); other query parameters than lang, t, sig and score are segment attributes. ' +
      't is the signed token of an invitation link; score (0-10) preselects the first NPS answer.',
    auth: 'signed-link',
    query: pageQuery,
    responses: {
      200: 'The page, or "already answered" for a used invitation link',
      403: 'sig does not match the attributes, the survey requires signed links, or t is not a valid invitation',
      404: 'No such survey',
      410: 'The invitation link has expired',
    },
  },
  'POST /s/{surveyId}': {
    summary: 'Survey form post (urlencoded)',
    auth: 'signed-link',
    body: { form: surveyForm, readBy: 'implementation' },
    responses: {
      200: 'Thank-you page',
      400: 'The page again, with errors next to the fields',
      403: 'The hidden attributes do not match their sig, or t is not valid',
      409: 'The invitation link was already used for other answers; nothing stored',
      410: 'The invitation link has expired',
      429: 'Over the survey rate limit per device or address; nothing stored',
    },
  },
  'GET /s/{surveyId}/unsubscribe': {
    summary: 'Unsubscribe page of an invitation (?t=); GET never unsubscribes',
    auth: 'signed-link',
    query: z.looseObject({ t: token, lang: token }),
    responses: { 200: 'A page with one button', 403: 'Not valid' },
  },
  'POST /s/{surveyId}/unsubscribe': {
    summary: 'Unsubscribe (the page button, or RFC 8058 one-click List-Unsubscribe)',
    auth: 'signed-link',
    body: { form: z.looseObject({ t: token }), readBy: 'implementation' },
    responses: { 200: 'Confirmation page', 403: 'Not valid' },
  },
});
