import { randomBytes } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { campaignQueue } from '#adapters/campaign-runtime.ts';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { jsonBody } from '#http/body.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { campaignInputSchema } from '#invitations/rules/campaigns.ts';
import { createCampaign, startCampaign } from '#invitations/use-cases/campaigns.ts';
import { NotFoundError } from '#kernel/errors.ts';

const { surveys, reach, campaigns } = tableAdapters();
const queue = campaignQueue();

/** 12 letters and digits: short enough for links and SES tags, 62 bits of randomness. */
const newCampaignId = () =>
  Array.from(randomBytes(12), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');

/** Campaigns: create, list, read, start, and their live reach. */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(async (event) => {
    const campaignId = event.pathParameters?.campaignId ?? '';
    const load = async () => {
      const campaign = await campaigns.get(campaignId);
      if (!campaign) throw new NotFoundError(`There is no campaign "${campaignId}".`);
      return campaign;
    };
    switch (event.routeKey) {
      case 'POST /v1/campaigns': {
        const input = jsonBody(event, campaignInputSchema);
        const campaign = await createCampaign(
          { campaigns, surveyExists: async (id) => (await surveys.get(id)) !== undefined },
          input,
          newCampaignId(),
          systemClock.now(),
        );
        return json(201, campaign, { location: `/v1/campaigns/${campaign.campaignId}` });
      }
      case 'GET /v1/campaigns':
        return json(200, { items: await campaigns.list() });
      case 'GET /v1/campaigns/{campaignId}':
        return json(200, await load());
      case 'POST /v1/campaigns/{campaignId}/start':
        return json(202, await startCampaign({ campaigns, queue }, campaignId, systemClock.now()));
      case 'GET /v1/campaigns/{campaignId}/reach':
        await load();
        return json(200, await reach.read(campaignId));
      default:
        throw new NotFoundError(`No route ${event.routeKey}.`);
    }
  });
