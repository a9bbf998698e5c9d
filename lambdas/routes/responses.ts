import { phrasesQuery, responsesQuery } from '#insight/rules/responses.ts';
import { defineRoutes } from './route.ts';

/** What customers said, read back (the responses function). */
export const responsesRoutes = defineRoutes({
  'GET /v1/surveys/{surveyId}/responses': {
    summary:
      'The responses with a comment, newest first, by date range, segment, score band and words; each with its answers, attributes, comments and the case it opened',
    auth: { jwt: 'pulso/responses.read' },
    query: responsesQuery,
    responses: {
      200: 'surveyId, from, to, items (submissionId, receivedAt, locale, capturedVia, answers, attributes, comments, scores (questionId, type, score, band), case { caseId, status }), cursor (absent on the last page), readTo (how far back the page read)',
    },
    problems: [400, 401, 404],
  },
  'GET /v1/surveys/{surveyId}/phrases': {
    summary:
      "The phrases rising in a place's comments this window against the window before: what customers start to talk about before a theme names it",
    auth: { jwt: 'pulso/responses.read' },
    query: phrasesQuery,
    responses: {
      200: 'surveyId, window, from, to, previousFrom, previousTo, segment, comments and previousComments (read, at most 2,000 each), phrases (phrase, comments, previous, rise)',
    },
    problems: [400, 401, 404],
  },
});
