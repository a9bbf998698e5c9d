import { timingSafeEqual } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { conversationDepsOf } from '#adapters/conversation-runtime.ts';
import { commentAnalyzer, systemClock, tableAdapters } from '#adapters/runtime.ts';
import {
  twilioAnswers,
  type VendorAnswers,
  zendeskAnswers,
  zendeskBodySchema,
} from '#capture/rules/vendors.ts';
import type { WebhookSource } from '#capture/rules/webhook.ts';
import { loadSurvey, recordAnswers, recordResponse } from '#capture/use-cases/record-response.ts';
import { sourceToVerify } from '#capture/use-cases/webhook-sources.ts';
import { invitationStatusesOf, messagesOf, whatsappPayloadSchema } from '#conversations/rules/whatsapp.ts';
import { onInboundMessage } from '#conversations/use-cases/conversations.ts';
import { mediaTypeOf, parseJsonText, rawBody, requireMediaType } from '#http/body.ts';
import { dispatch } from '#http/dispatch.ts';
import { ForbiddenError, UnsupportedMediaTypeError } from '#http/errors.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors, recorded } from '#http/problem.ts';
import { verifyStandardWebhook } from '#http/standard-webhooks.ts';
import { formFields, verifyMeta, verifyTwilio, verifyZendesk } from '#http/vendor-signatures.ts';
import { NotFoundError } from '#kernel/errors.ts';
import { webhookRoutes } from '#routes/webhook.ts';

const { surveys, responses, webhookSources, conversations, suppressions, invitations } = tableAdapters();
const analyzer = commentAnalyzer();
const deps = { surveys, responses, analyzer, clock: systemClock };

/** Meta delivers every message at least once: each is read once (its wamid), and 200 tells Meta it arrived. */
async function whatsappDelivery(
  event: APIGatewayProxyEventV2,
  body: string,
  source: WebhookSource,
  secrets: string[],
) {
  verifyMeta(body, event.headers ?? {}, secrets);
  requireMediaType(event, 'application/json');
  const payload = whatsappPayloadSchema.parse(parseJsonText(body));
  const outcomes: string[] = [];
  for (const message of messagesOf(payload))
    outcomes.push(
      await onInboundMessage(
        conversationDepsOf(source, { surveys, responses, analyzer, conversations, suppressions }),
        message,
      ),
    );
  // Statuses of invitations' templates, in any order and more than once: each milestone is recorded once.
  const statuses = invitationStatusesOf(payload);
  for (const status of statuses)
    for (const milestone of status.milestones)
      await invitations.milestone(
        status.campaignId,
        status.contactId,
        milestone,
        status.at ?? systemClock.now(),
      );
  return json(200, { received: outcomes.length, outcomes, statuses: statuses.length });
}
const route = webhookRoutes['POST /v1/webhooks/{source}'];

/** Each kind's signature is checked on the raw bytes, before anything of the body is parsed. */
const READERS: Record<
  WebhookSource['kind'],
  (
    event: APIGatewayProxyEventV2,
    body: string,
    source: WebhookSource,
    secrets: string[],
  ) => Promise<VendorAnswers | 'standard' | 'whatsapp'>
> = {
  standard: async () => 'standard',
  whatsapp: async () => 'whatsapp',
  sms: async (_event, _body, source) => {
    throw new NotFoundError(
      `"${source.name}" is an sms source: its messages come through the inbound SMS topic, not a webhook.`,
    );
  },
  twilio: async (event, body, source, secrets) => {
    verifyTwilio(event, body, source.url ?? '', secrets);
    const type = mediaTypeOf(event);
    const query = formFields(event.rawQueryString ?? '');
    if (type === 'application/x-www-form-urlencoded')
      return twilioAnswers({ ...query, ...formFields(body) }, source);
    if (type === 'application/json') {
      const fields = parseJsonText(body);
      if (fields === null || typeof fields !== 'object' || Array.isArray(fields))
        return twilioAnswers(query, source);
      return twilioAnswers({ ...query, ...(fields as Record<string, unknown>) }, source);
    }
    throw new UnsupportedMediaTypeError(
      `Send the body as application/x-www-form-urlencoded or application/json${type ? `, not ${type}` : ''}.`,
    );
  },
  zendesk: async (event, body, source, secrets) => {
    verifyZendesk(body, event.headers ?? {}, secrets, systemClock.now());
    requireMediaType(event, 'application/json');
    const parsed = zendeskBodySchema.parse(parseJsonText(body));
    return zendeskAnswers(parsed, source, await loadSurvey(surveys, source.surveyId ?? ''));
  },
};

/**
 * POST /v1/webhooks/{source}: a standard source posts whole responses (Standard Webhooks); Twilio and Zendesk post
 * answers that count one question at a time, under the vendor's call or ticket, so a retry or a second trigger
 * adds only what is new.
 */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(webhookRoutes, {
      // Meta checks the URL before it delivers anything: the challenge back, if the token is the source's.
      'GET /v1/webhooks/{source}': async ({ path: { source: name }, query }) => {
        const { source } = await sourceToVerify(webhookSources, name, systemClock.now());
        const given = Buffer.from(query['hub.verify_token'] ?? '', 'utf8');
        const expected = Buffer.from(source.verifyToken ?? '', 'utf8');
        const matches =
          source.kind === 'whatsapp' &&
          expected.length > 0 &&
          given.length === expected.length &&
          timingSafeEqual(given, expected);
        if (query['hub.mode'] !== 'subscribe' || !matches)
          throw new ForbiddenError('The verify token does not match this source.');
        return {
          statusCode: 200,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
          body: query['hub.challenge'] ?? '',
        };
      },
      'POST /v1/webhooks/{source}': async ({ path: { source: name }, event }) => {
        const { source, secrets } = await sourceToVerify(webhookSources, name, systemClock.now());
        const body = rawBody(event);
        const read = await READERS[source.kind](event, body, source, secrets);
        if (read === 'whatsapp') return whatsappDelivery(event, body, source, secrets);
        if (read === 'standard') {
          const webhookId = verifyStandardWebhook(body, event.headers ?? {}, secrets);
          requireMediaType(event, 'application/json');
          const input = route.body.json.parse(parseJsonText(body));
          // A vendor retry carries the same webhook-id, so it maps to the same submission.
          const submissionId = input.submissionId ?? `${name}.${webhookId}`;
          return recorded(
            await recordResponse(deps, { ...input, submissionId, capturedVia: `webhook:${name}` }),
          );
        }
        return recorded(await recordAnswers(deps, { ...read, capturedVia: `webhook:${name}` }));
      },
    }),
  );
