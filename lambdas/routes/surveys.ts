import { previewQuery } from '#capture/rules/previews.ts';
import {
  webhookRotationSchema,
  webhookSecretsSchema,
  webhookSourceInputSchema,
} from '#capture/rules/webhook.ts';
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
  'GET /v1/webhooks': {
    summary: 'The webhook sources: name, kind, settings and when each secret was set (never the secrets)',
    auth: { jwt: 'pulso/webhooks.write' },
    responses: { 200: '{ sources }' },
    problems: [401, 403],
  },
  'PUT /v1/webhooks/{source}': {
    summary:
      "Make a webhook source of a kind (standard, twilio, zendesk) or change its settings. A new twilio or zendesk source takes the vendor's secret; a new standard one gets a secret Pulso makes, answered this once",
    auth: { jwt: 'pulso/webhooks.write' },
    body: { json: webhookSourceInputSchema, component: 'WebhookSource' },
    responses: {
      201: '{ source, secret? }: made (secret: the one Pulso made, shown only now)',
      200: '{ source }: its settings changed',
    },
    problems: [400, 401, 403, 404, 409, 415],
  },
  'DELETE /v1/webhooks/{source}': {
    summary: 'Delete a webhook source: what it posts from then on is refused (404)',
    auth: { jwt: 'pulso/webhooks.write' },
    responses: { 204: 'Deleted' },
    problems: [401, 403, 404],
  },
  'POST /v1/webhooks/{source}/secrets': {
    summary:
      "Rotate a source's secret: the new one signs from now on, the one it replaces keeps working previousValidForHours (24 unless told)",
    auth: { jwt: 'pulso/webhooks.write' },
    body: { json: webhookRotationSchema, component: 'WebhookRotation' },
    responses: { 200: '{ source, secret? }: secret is the one Pulso made (standard), shown only now' },
    problems: [400, 401, 403, 404, 415],
  },
  'PUT /v1/webhooks/{source}/secret': {
    summary:
      'Set the Standard Webhooks secrets of a standard source (two while rotating); the older form of rotating',
    auth: { jwt: 'pulso/webhooks.write' },
    body: { json: webhookSecretsSchema },
    responses: { 200: '{ source, secrets }: the source and how many secrets it has' },
    problems: [400, 401, 403, 404, 409, 415],
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
