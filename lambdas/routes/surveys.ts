import { previewQuery } from '#capture/rules/previews.ts';
import { webhookSecretsSchema } from '#capture/rules/webhook.ts';
import { surveyLinkInputSchema } from '#capture/use-cases/survey-links.ts';
import { surveySchema } from '#kernel/survey.ts';
import { routingTableSchema } from '#loop/rules/routing.ts';
import { defineRoutes } from './route.ts';

/** Survey definitions, signed links, the routing table and webhook secrets (the surveys function). */
export const surveysRoutes = defineRoutes({
  'GET /v1/surveys': {
    summary: 'The surveys',
    auth: { jwt: 'pulso/surveys.read' },
    responses: { 200: '{ items }: the survey definitions' },
    problems: [401],
  },
  'GET /v1/surveys/{surveyId}': {
    summary: 'A survey definition',
    auth: { jwt: 'pulso/surveys.read' },
    responses: { 200: 'The survey' },
    problems: [401, 404],
  },
  'PUT /v1/surveys/{surveyId}': {
    summary: 'Save a survey definition (its id must be the one in the path)',
    auth: { jwt: 'pulso/surveys.write' },
    body: { json: surveySchema, component: 'Survey' },
    responses: { 200: 'Saved' },
    problems: [400, 401],
  },
  'POST /v1/surveys/{surveyId}/previews': {
    summary:
      "Preview a draft of a survey: checked as a save is, kept an hour, shown as its page at the answer's path without being saved",
    auth: { jwt: 'pulso/surveys.write' },
    body: { json: surveySchema, component: 'Survey' },
    responses: { 201: '{ previewId, path, expiresAt }: the page is at path (/v1/previews/<id>)' },
    problems: [400, 401, 415],
  },
  'GET /v1/previews/{previewId}': {
    summary:
      "A draft's survey page (text/html, no scripts, framed only by the app) in ?lang= or the browser's language; its form posts nowhere",
    auth: 'public',
    query: previewQuery,
    responses: { 200: 'The survey page (text/html)' },
    problems: [400, 404],
  },
  'POST /v1/surveys/{surveyId}/links': {
    summary: 'A signed survey link with segment attributes, and its QR code',
    auth: { jwt: 'pulso/surveys.write' },
    body: { json: surveyLinkInputSchema, component: 'SurveyLinkInput' },
    responses: { 200: '{ url, attributes, qr: { svg, png } } (png in base64)' },
    problems: [400, 401, 404, 415],
  },
  'PUT /v1/webhooks/{source}/secret': {
    summary: 'Set the Standard Webhooks secrets of a vendor source (two while rotating)',
    auth: { jwt: 'pulso/webhooks.write' },
    body: { json: webhookSecretsSchema },
    responses: { 200: '{ source, secrets }: the source and how many secrets it has' },
    problems: [400, 401, 404, 415],
  },
  'GET /v1/routing': {
    summary: 'The routing table: segment -> owners in tiers',
    auth: { jwt: 'pulso/routing.read' },
    responses: { 200: 'The routing table' },
    problems: [401],
  },
  'PUT /v1/routing': {
    summary:
      'Replace the routing table. A case goes to the first tier of the first route matching its segment (else `*`) and escalates up the tiers when an SLA passes.',
    auth: { jwt: 'pulso/routing.write' },
    body: { json: routingTableSchema, component: 'RoutingTable' },
    responses: { 200: 'Saved' },
    problems: [400, 401, 415],
  },
});
