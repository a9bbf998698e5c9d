import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { campaignQueue } from '#adapters/campaign-runtime.ts';
import { openConversationOn } from '#adapters/conversation-runtime.ts';
import { commentAnalyzer, systemClock, tableAdapters } from '#adapters/runtime.ts';
import { conversationNumbersOf } from '#capture/rules/webhook.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { contactIdOf } from '#invitations/rules/contacts.ts';
import {
  campaignReach,
  createCampaign,
  getCampaign,
  startCampaign,
} from '#invitations/use-cases/campaigns.ts';
import { ConflictError } from '#kernel/errors.ts';
import { randomId } from '#kernel/ids.ts';
import { campaignsRoutes } from '#routes/campaigns.ts';

const { surveys, reach, campaigns, audit, responses, webhookSources, conversations, suppressions } =
  tableAdapters();
const queue = campaignQueue();
const surveyExists = async (id: string) => (await surveys.get(id)) !== undefined;

/** Campaigns: create, list, read, start, and their live reach. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(
      campaignsRoutes,
      {
        'POST /v1/campaigns': async ({ body }) => {
          // 12 letters and digits: short enough for links and SES tags.
          const campaign = await createCampaign(
            {
              campaigns,
              surveyExists,
              sourceKind: async (name) => (await webhookSources.get(name))?.kind,
            },
            body,
            randomId(12),
            systemClock.now(),
          );
          return json(201, campaign, { location: `/v1/campaigns/${campaign.campaignId}` });
        },
        'POST /v1/conversations': async ({ body }) => {
          if (await suppressions.reasonFor(contactIdOf(undefined, body.to)))
            throw new ConflictError('This customer asked not to be contacted.');
          const stores = { surveys, responses, analyzer: commentAnalyzer(), conversations, suppressions };
          const conversation = await openConversationOn(webhookSources, stores, body);
          return json(201, {
            submissionId: conversation.state.submissionId,
            to: body.to,
            awaiting: conversation.state.awaiting,
          });
        },
        'GET /v1/numbers': async () =>
          json(200, { items: conversationNumbersOf(await webhookSources.list()) }),
        'GET /v1/campaigns': async () => json(200, { items: await campaigns.list() }),
        'GET /v1/campaigns/{campaignId}': async ({ path }) =>
          json(200, await getCampaign(campaigns, path.campaignId)),
        'POST /v1/campaigns/{campaignId}/start': async ({ path }) =>
          json(202, await startCampaign({ campaigns, queue }, path.campaignId, systemClock.now())),
        'GET /v1/campaigns/{campaignId}/reach': async ({ path }) =>
          json(200, await campaignReach({ campaigns, reach }, path.campaignId)),
      },
      { audit },
    ),
  );
