import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { requireEnv, tableAdapters } from '#adapters/runtime.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { createSurveyLink, surveyLinkInputSchema } from '#capture/use-cases/survey-links.ts';
import { jsonBody } from '#http/body.ts';
import { logError, logger } from '#http/logger.ts';
import { json, problemErrors } from '#http/problem.ts';
import { NotFoundError, ValidationError } from '#kernel/errors.ts';
import { surveySchema } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';
import { routingTableSchema } from '#loop/rules/routing.ts';
import { qrCodes } from '#views/qr.ts';

const { surveys, webhookSecrets, signingKeys, routing } = tableAdapters();
const publicUrl = requireEnv('PUBLIC_URL');

const secretBody = z.strictObject({
  /** Standard Webhooks secret: `whsec_` + base64 of 24 to 64 random bytes. */
  secrets: z
    .array(
      z.string().check(z.regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'expected whsec_ followed by base64')),
    )
    .check(z.minLength(1), z.maxLength(2)),
});

/** Survey definitions, signed survey links (QR codes), the routing table and webhook secrets. */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(async (event) => {
    const surveyId = event.pathParameters?.surveyId ?? '';
    switch (event.routeKey) {
      case 'GET /v1/surveys':
        return json(200, { items: await surveys.list() });
      case 'GET /v1/surveys/{surveyId}':
        return json(200, await loadSurvey(surveys, surveyId));
      case 'PUT /v1/surveys/{surveyId}': {
        const survey = jsonBody(event, surveySchema);
        if (survey.id !== surveyId) {
          throw new ValidationError('The id in the body differs from the one in the path.', [
            { field: 'id', code: 'mismatch', message: `expected "${surveyId}"` },
          ]);
        }
        await surveys.put(survey);
        return json(200, survey);
      }
      case 'POST /v1/surveys/{surveyId}/links': {
        const { attributes, lang } = jsonBody(event, surveyLinkInputSchema);
        const link = await createSurveyLink({ surveys, signingKeys }, publicUrl, {
          surveyId,
          attributes,
          lang,
        });
        return json(200, { url: link.url, attributes: link.attributes, qr: await qrCodes(link.url) });
      }
      case 'GET /v1/routing':
        return json(200, await routing.get());
      case 'PUT /v1/routing': {
        // The whole table at once: routes are read in order, so a partial update could reorder them.
        const table = jsonBody(event, routingTableSchema);
        await routing.put(table);
        return json(200, table);
      }
      case 'PUT /v1/webhooks/{source}/secret': {
        const source = event.pathParameters?.source ?? '';
        if (!/^[a-z0-9-]{1,32}$/.test(source)) throw new NotFoundError(`No webhook source "${source}".`);
        const { secrets } = jsonBody(event, secretBody);
        await webhookSecrets.put(source, secrets);
        return json(200, { source, secrets: secrets.length });
      }
      default:
        throw new NotFoundError(`No route ${event.routeKey}.`);
    }
  });
