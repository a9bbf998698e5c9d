import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { campaignQueue } from '#adapters/campaign-runtime.ts';
import { conversationDepsOf } from '#adapters/conversation-runtime.ts';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { startSurveyConversation } from '#conversations/use-cases/conversations.ts';
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
import { ConflictError, NotFoundError, ValidationError } from '#kernel/errors.ts';
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
            { campaigns, surveyExists },
            body,
            randomId(12),
            systemClock.now(),
          );
          return json(201, campaign, { location: `/v1/campaigns/${campaign.campaignId}` });
        },
        'POST /v1/conversations': async ({ body }) => {
          const source = await webhookSources.get(body.source);
          if (source?.kind !== 'whatsapp' || !source.phoneNumberId)
            throw new NotFoundError(`No whatsapp source "${body.source}".`);
          const survey = await loadSurvey(surveys, body.surveyId ?? source.surveyId ?? '');
          const locale = body.locale ?? survey.defaultLocale;
          const template = source.templates?.[locale];
          if (!template)
            throw new ValidationError(`The source has no template for "${locale}".`, [
              { field: 'locale', code: 'no_template', message: `set templates.${locale} on the source` },
            ]);
          if (await suppressions.reasonFor(contactIdOf(undefined, body.to)))
            throw new ConflictError('This customer asked not to be contacted.');
          const deps = conversationDepsOf(source, { surveys, responses, conversations, suppressions });
          const conversation = await startSurveyConversation(deps, {
            surveyId: survey.id,
            phoneNumberId: source.phoneNumberId,
            to: body.to,
            locale,
            attributes: body.attributes,
            template,
          });
          return json(201, {
            submissionId: conversation.state.submissionId,
            to: body.to,
            awaiting: conversation.state.awaiting,
          });
        },
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
