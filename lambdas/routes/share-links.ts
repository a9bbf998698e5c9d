import { exportListQuery } from '#insight/rules/exports.ts';
import { sharedViewQuery, shareLinkBody } from '#insight/rules/share-links.ts';
import { defineRoutes } from './route.ts';

const write = { jwt: 'pulso/shares.write' } as const;

/** Read-only links to one place's figures for people without an account (the share-links function). */
export const shareLinksRoutes = defineRoutes({
  'POST /v1/surveys/{surveyId}/share-links': {
    summary:
      'Make a share link: { segment?, expiresInDays: 7 | 30 | 90, comments: false }; the answer holds its token and path (/app/shared/<token>) this once',
    auth: write,
    body: { json: shareLinkBody },
    responses: {
      201: 'The link (linkId, segment, comments, createdBy, createdAt, expiresAt, status active, token, path)',
    },
    problems: [400, 401, 404],
  },
  'GET /v1/surveys/{surveyId}/share-links': {
    summary: "The survey's share links, newest first, each active, expired or revoked (without its token)",
    auth: { jwt: 'pulso/metrics.read' },
    query: exportListQuery,
    responses: { 200: '{ items }' },
    problems: [400, 401, 404],
  },
  'POST /v1/share-links/{linkId}/revoke': {
    summary: 'Revoke a share link: it is refused from its next view on',
    auth: write,
    responses: { 200: 'The link, status revoked' },
    problems: [401, 404],
  },
  'GET /v1/shared/{token}': {
    summary:
      "A shared view: the survey's title, the link's place, its figures for the window (as GET .../metrics) and, only if the owner allowed, its newest comments; at most 30 views a minute per link",
    auth: 'public',
    query: sharedViewQuery,
    responses: {
      200: 'survey { id, title }, segment, expiresAt, metrics, comments? [{ receivedAt, text, scores }]',
    },
    problems: [400, 404, 410, 429],
  },
});
