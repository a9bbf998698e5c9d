import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { recordResponse } from '#capture/use-cases/record-response.ts';
import { webhookSecretsOf } from '#capture/use-cases/survey-definitions.ts';
import { parseJsonText, rawBody, requireMediaType } from '#http/body.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { problemErrors, recorded } from '#http/problem.ts';
import { verifyStandardWebhook } from '#http/standard-webhooks.ts';
import { webhookRoutes } from '#routes/webhook.ts';

const { surveys, responses, webhookSecrets } = tableAdapters();
const deps = { surveys, responses, clock: systemClock };
const route = webhookRoutes['POST /v1/webhooks/{source}'];

/** POST /v1/webhooks/{source}: the signature is checked before the body is parsed. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(webhookRoutes, {
      'POST /v1/webhooks/{source}': async ({ path: { source }, event }) => {
        const secrets = await webhookSecretsOf(webhookSecrets, source);
        const body = rawBody(event);
        const webhookId = verifyStandardWebhook(body, event.headers ?? {}, secrets);
        requireMediaType(event, 'application/json');
        const input = route.body.json.parse(parseJsonText(body));
        // A vendor retry carries the same webhook-id, so it maps to the same submission.
        const submissionId = input.submissionId ?? `${source}.${webhookId}`;
        return recorded(
          await recordResponse(deps, { ...input, submissionId, capturedVia: `webhook:${source}` }),
        );
      },
    }),
  );
