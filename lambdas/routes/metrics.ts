import { metricsQuery } from '#aggregation/rules/report.ts';
import { segmentsQuery, segmentValuesQuery } from '#aggregation/rules/segments.ts';
import { defineRoutes } from './route.ts';

/** Rolling figures of a survey (the metrics function). */
export const metricsRoutes = defineRoutes({
  'GET /v1/surveys/{surveyId}/metrics': {
    summary: 'Rolling NPS, CSAT and CES of a survey over a window, for all answers or one segment value',
    auth: { jwt: 'pulso/metrics.read' },
    query: metricsQuery,
    responses: {
      200: 'nps { score, promoters, passives, detractors, n, ci95 }, csat { score, n, ci95 }, ces { mean, n, lowEffortPct }, questions (each with its distribution), trend (per day or week, with n and ci95), sentiment { n, negative, neutral, positive, negativePct, positivePct } of the comments read, themes (each: id, name, comments, sharePct, bands, npsMentioning, npsOthers, impact { value, ci95 })',
    },
    problems: [400, 401, 404],
  },
  'GET /v1/surveys/{surveyId}/segments': {
    summary:
      "League table of one level of the survey's segments (a key, under a parent of the hierarchy), this window against the one before",
    auth: { jwt: 'pulso/metrics.read' },
    query: segmentsQuery,
    responses: {
      200: 'key, parent, childKey, path, question, target, minResponses, window, from, to, previousWindow, rows (segment, value, n, score, ci95, previous, change, tooFew, belowTarget, belowPrevious, rank)',
    },
    problems: [400, 401, 404],
  },
  'GET /v1/surveys/{surveyId}/segment-values': {
    summary:
      'Every value of one segment key the survey has seen, with its parent in the hierarchy, for pickers',
    auth: { jwt: 'pulso/metrics.read' },
    query: segmentValuesQuery,
    responses: { 200: 'key, values (value, parent: key:value or null), by value' },
    problems: [400, 401, 404],
  },
});
