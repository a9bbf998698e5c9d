import { exportListQuery, exportRequestBody } from '#insight/rules/exports.ts';
import { defineRoutes } from './route.ts';

const read = { jwt: 'pulso/responses.read' } as const;

/** CSV exports of responses and aggregates (the exports function; the exporter writes the files). */
export const exportsRoutes = defineRoutes({
  'POST /v1/surveys/{surveyId}/exports': {
    summary:
      'Ask for a CSV: { kind: responses | aggregates, window | from and to, segment? }; the file is written in the background, then GET /v1/exports/{exportId} gives its download link',
    auth: read,
    body: { json: exportRequestBody },
    responses: {
      202: 'The export (exportId, status running, kind, from, to, segment, fileName, requestedBy, requestedAt); Location is its URL',
    },
    problems: [400, 401, 404],
  },
  'GET /v1/surveys/{surveyId}/exports': {
    summary: "The survey's exports, newest first (kept 7 days)",
    auth: read,
    query: exportListQuery,
    responses: { 200: '{ items }: exports without their links' },
    problems: [400, 401, 404],
  },
  'GET /v1/exports/{exportId}': {
    summary:
      'An export: status running, ready (rows, bytes, download { url, expiresAt }: a link valid 15 minutes) or failed (failure)',
    auth: read,
    responses: { 200: 'The export' },
    problems: [401, 404],
  },
});
