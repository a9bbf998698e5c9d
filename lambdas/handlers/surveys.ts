import { randomBytes } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { requireEnv, systemClock, tableAdapters } from '#adapters/runtime.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { saveSurvey } from '#capture/use-cases/survey-definitions.ts';
import { createSurveyLink } from '#capture/use-cases/survey-links.ts';
import { openPreview, previewSurvey } from '#capture/use-cases/survey-previews.ts';
import {
  deleteWebhookSource,
  listWebhookSources,
  putWebhookSource,
  rotateWebhookSecret,
  setWebhookSecrets,
} from '#capture/use-cases/webhook-sources.ts';
import { mayCall } from '#http/admin.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { htmlPage, pageLocale } from '#http/pages.ts';
import { json, problemErrors } from '#http/problem.ts';
import type { Survey } from '#kernel/survey.ts';
import { surveysRoutes } from '#routes/surveys.ts';
import { qrCodes } from '#views/qr.ts';
import { renderSurveyPage } from '#views/survey-page.ts';

const { surveys, surveyPreviews, webhookSources, signingKeys, routing, audit } = tableAdapters();
const sourceDeps = {
  sources: webhookSources,
  clock: systemClock,
  newSecret: () => `whsec_${randomBytes(32).toString('base64')}`,
};
const previews = { previews: surveyPreviews, clock: systemClock };
const publicUrl = requireEnv('PUBLIC_URL');

/**
 * A survey as the caller may read it: its owners (people's names and emails) only for those who set surveys up;
 * a manager or a viewer reads the questions, places and targets.
 */
function asSeenBy(event: APIGatewayProxyEventV2, survey: Survey): Survey | Omit<Survey, 'owners'> {
  if (mayCall(event, 'pulso/surveys.write')) return survey;
  const { owners: _, ...rest } = survey;
  return rest;
}

/** Survey definitions, signed survey links (QR codes), the routing table and webhook sources. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError }))
  .handler(
    dispatch(
      surveysRoutes,
      {
        'GET /v1/surveys': async ({ event }) =>
          json(200, { items: (await surveys.list()).map((s) => asSeenBy(event, s)) }),
        'GET /v1/surveys/{surveyId}': async ({ path, event }) =>
          json(200, asSeenBy(event, await loadSurvey(surveys, path.surveyId))),
        'PUT /v1/surveys/{surveyId}': async ({ path, body }) =>
          json(200, await saveSurvey(surveys, path.surveyId, body)),
        'POST /v1/surveys/{surveyId}/previews': async ({ path, body }) =>
          json(201, await previewSurvey(previews, path.surveyId, body)),
        // The page a customer would see, in an iframe of the editor; its form posts to a path with no POST route.
        'GET /v1/previews/{previewId}': async ({ path, event }) => {
          const survey = await openPreview(previews, path.previewId);
          const locale = pageLocale(event, undefined, survey);
          const page = renderSurveyPage({
            survey,
            locale,
            action: event.rawPath,
            submissionId: 'preview',
            attributes: {},
          });
          return htmlPage(200, page, { framedBy: 'self' });
        },
        'POST /v1/surveys/{surveyId}/links': async ({ path, body }) => {
          const input = { surveyId: path.surveyId, attributes: body.attributes, lang: body.lang };
          const link = await createSurveyLink({ surveys, signingKeys }, publicUrl, input);
          return json(200, { url: link.url, attributes: link.attributes, qr: await qrCodes(link.url) });
        },
        'GET /v1/routing': async () => json(200, await routing.get()),
        // The whole table at once: routes are read in order, so a partial update could reorder them.
        'PUT /v1/routing': async ({ body }) => {
          await routing.put(body);
          return json(200, body);
        },
        'GET /v1/webhooks': async () => json(200, await listWebhookSources(webhookSources)),
        'PUT /v1/webhooks/{source}': async ({ path, body }) => {
          const { status, ...made } = await putWebhookSource(sourceDeps, path.source, body);
          return json(status === 'created' ? 201 : 200, made);
        },
        'DELETE /v1/webhooks/{source}': async ({ path }) => {
          await deleteWebhookSource(webhookSources, path.source);
          return { statusCode: 204 };
        },
        'POST /v1/webhooks/{source}/secrets': async ({ path, body }) =>
          json(200, await rotateWebhookSecret(sourceDeps, path.source, body)),
        'PUT /v1/webhooks/{source}/secret': async ({ path, body }) =>
          json(200, await setWebhookSecrets(sourceDeps, path.source, body.secrets)),
      },
      { audit },
    ),
  );
