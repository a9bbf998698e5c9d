import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { webhookResponseSchema } from '#capture/rules/webhook.ts';
import { recordResponse } from '#capture/use-cases/record-response.ts';
import { parseJsonText, rawBody, requireMediaType } from '#http/body.ts';
import { logError, logger } from '#http/logger.ts';
import { problemErrors, recorded } from '#http/problem.ts';
import { verifyStandardWebhook } from '#http/standard-webhooks.ts';
import { NotFoundError } from '#kernel/errors.ts';

const { surveys, responses, webhookSecrets } = tableAdapters();

/** POST /v1/webhooks/{source}: the signature is checked before the body is parsed. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(async (event) => {
    const source = event.pathParameters?.source ?? '';
    const secrets = /^[a-z0-9-]{1,32}$/.test(source) ? await webhookSecrets.get(source) : undefined;
    if (!secrets) throw new NotFoundError(`No webhook source "${source}" is configured.`);
    const body = rawBody(event);
    const webhookId = verifyStandardWebhook(body, event.headers ?? {}, secrets);
    requireMediaType(event, 'application/json');
    const input = webhookResponseSchema.parse(parseJsonText(body));
    const result = await recordResponse(
      { surveys, responses, clock: systemClock },
      // A vendor retry carries the same webhook-id, so it maps to the same submission.
      {
        ...input,
        submissionId: input.submissionId ?? `${source}.${webhookId}`,
        capturedVia: `webhook:${source}`,
      },
    );
    return recorded(result);
  });
