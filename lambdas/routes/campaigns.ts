import { conversationInputSchema } from '#conversations/rules/whatsapp.ts';
import { campaignInputSchema } from '#invitations/rules/campaigns.ts';
import { defineRoutes } from './route.ts';

const read = { jwt: 'pulso/campaigns.read' } as const;
const write = { jwt: 'pulso/campaigns.write' } as const;

/** Campaigns and their live reach, and survey conversations with one customer (the campaigns function). */
export const campaignsRoutes = defineRoutes({
  'POST /v1/conversations': {
    summary:
      "Survey one customer on WhatsApp or by SMS: the first question goes out (on WhatsApp in the source's approved template), and each reply is counted as it comes",
    auth: write,
    body: { json: conversationInputSchema, component: 'ConversationInput' },
    responses: { 201: '{ submissionId, to, awaiting }: the conversation, waiting for its first reply' },
    problems: [400, 401, 403, 404, 409, 415],
  },
  'GET /v1/numbers': {
    summary: 'The WhatsApp and two-way SMS numbers a conversation campaign can ask from',
    auth: read,
    responses: { 200: '{ items: [{ source, channel, number, surveyId?, languages? }] }, by source' },
    problems: [401],
  },
  'GET /v1/campaigns': {
    summary: 'The campaigns',
    auth: read,
    responses: { 200: '{ items }: campaigns, newest first' },
    problems: [401],
  },
  'POST /v1/campaigns': {
    summary: 'Create a campaign (a draft until started)',
    auth: write,
    body: { json: campaignInputSchema, component: 'CampaignInput' },
    responses: { 201: 'The campaign, with its campaignId' },
    problems: [400, 401, 415],
  },
  'GET /v1/campaigns/{campaignId}': {
    summary: 'A campaign',
    auth: read,
    responses: { 200: 'The campaign' },
    problems: [401, 404],
  },
  'POST /v1/campaigns/{campaignId}/start': {
    summary: 'Start sending; starting a started campaign changes nothing',
    auth: write,
    responses: { 202: 'The campaign, sending' },
    problems: [401, 404],
  },
  'GET /v1/campaigns/{campaignId}/reach': {
    summary: 'Live reach: totals, per segment and per day, and the response rate',
    auth: read,
    responses: {
      200:
        '{ campaignId, total, segments: [{ key, value, counts }], days: [{ day, counts }] }; counts: queued, ' +
        'invited, throttled, suppressed, failed, unknown, delivered, bounced, complained, opened, started, ' +
        'reminded, completed, unsubscribed, responseRate',
    },
    problems: [401, 404],
  },
});
