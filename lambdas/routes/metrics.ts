import { metricsQuery } from '#aggregation/rules/report.ts';
import { defineRoutes } from './route.ts';

/** Rolling figures of a survey (the metrics function). */
export const metricsRoutes = defineRoutes({
  'GET /v1/surveys/{surveyId}/metrics': {
    summary: 'Rolling NPS, CSAT and CES of a survey over a window, for all answers or one segment value',
    auth: { jwt: 'pulso/metrics.read' },
    query: metricsQuery,
    responses: {
      200: 'nps { score, promoters, passives, detractors, n, ci95 }, csat { score, n, ci95 }, ces { mean, n, lowEffortPct }, questions (each with its distribution), trend (per day or week, with n and ci95)',
    },
    problems: [400, 401, 404],
  },
});
