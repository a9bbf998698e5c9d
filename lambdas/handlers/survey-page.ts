import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { showSurveyPage, submitSurveyPage } from '#capture/use-cases/survey-page.ts';
import { formBody } from '#http/body.ts';
import { deviceIdOf, newDeviceCookie } from '#http/device-cookie.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { formField, htmlPage, pageLocale } from '#http/pages.ts';
import { type Problem, problemErrors } from '#http/problem.ts';
import { invitationOfToken, invitedAnswers, unsubscribe } from '#invitations/use-cases/invited-responses.ts';
import type { Survey } from '#kernel/survey.ts';
import { surveyPageRoutes } from '#routes/survey-page.ts';
import { fieldErrorMessage } from '#views/i18n.ts';
import {
  renderAlreadyAnswered,
  renderProblemPage,
  renderThankYou,
  renderUnsubscribe,
  renderUnsubscribed,
} from '#views/pages.ts';
import { renderSurveyPage } from '#views/survey-page.ts';

const { surveys, responses, signingKeys, rateCounters, invitations, suppressions } = tableAdapters();
const invited = { surveys, responses, invitations, signingKeys, clock: systemClock };
const deps = { ...invited, rateCounters, invitedAnswers: invitedAnswers(invited) };

const page = (
  status: number,
  body: string,
  extra: { headers?: Record<string, string>; cookies?: string[] } = {},
) => htmlPage(status, body, { ...extra, images: true });

function renderProblem(problem: Problem, event: APIGatewayProxyEventV2) {
  const locale = pageLocale(event, formField(event, 'locale'));
  return page(problem.status, renderProblemPage({ locale, status: problem.status, detail: problem.detail }));
}

async function show(event: APIGatewayProxyEventV2, survey: Survey) {
  const shown = await showSurveyPage(deps, survey, event.queryStringParameters ?? {});
  const locale = pageLocale(event, undefined, survey);
  if (shown.kind === 'already-answered') return page(200, renderAlreadyAnswered({ locale }));
  const { kind: _, ...form } = shown;
  // The device cookie behind the per-device rate limit on the form post (open links only).
  const cookie = form.token ? undefined : newDeviceCookie(event);
  const body = renderSurveyPage({ survey, locale, action: event.rawPath, ...form });
  return page(200, body, cookie ? { cookies: [cookie] } : {});
}

async function submit(event: APIGatewayProxyEventV2, survey: Survey) {
  const form = formBody(event);
  const locale = pageLocale(event, form.get('locale') ?? undefined, survey);
  const client = { deviceId: deviceIdOf(event), sourceIp: event.requestContext.http.sourceIp };
  const outcome = await submitSurveyPage(deps, survey, form, locale, client);
  if (outcome.kind === 'thanks') return page(200, renderThankYou({ survey, locale }));
  // The link was used for other answers: a friendly page, and nothing counted.
  if (outcome.kind === 'already-answered') return page(409, renderAlreadyAnswered({ locale }));
  if (outcome.kind === 'rate-limited') {
    const headers = { 'retry-after': String(outcome.retryAfterSeconds) };
    return page(429, renderProblemPage({ locale, status: 429 }), { headers });
  }
  const errors = Object.fromEntries(
    Object.entries(outcome.errors).map(([question, code]) => [question, fieldErrorMessage(locale, code)]),
  );
  return page(400, renderSurveyPage({ survey, locale, action: event.rawPath, ...outcome.form, errors }));
}

/**
 * GET and POST /s/{surveyId}/unsubscribe?t=: a page with one button (GET never unsubscribes: mail scanners
 * follow links), and the POST of that button or of a mail client's one-click List-Unsubscribe (RFC 8058).
 */
async function unsubscribePage(event: APIGatewayProxyEventV2, surveyId: string) {
  const locale = pageLocale(event);
  const post = event.requestContext.http.method === 'POST';
  const token = event.queryStringParameters?.t ?? (post ? formBody(event).get('t') : undefined) ?? '';
  const now = systemClock.now();
  if (!post) {
    await invitationOfToken(invited, surveyId, token, now, true);
    // The button's post keeps the page's language: the confirmation must not fall back to Accept-Language.
    const action = `${event.rawPath}?t=${encodeURIComponent(token)}&lang=${locale}`;
    return page(200, renderUnsubscribe({ locale, action }));
  }
  await unsubscribe({ ...invited, suppressions }, surveyId, token, now);
  return page(200, renderUnsubscribed({ locale }));
}

/** GET and POST /s/{surveyId}: the survey page, which works without JavaScript. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError, render: renderProblem }))
  .handler(
    dispatch(surveyPageRoutes, {
      'GET /s/{surveyId}': async ({ path, event }) => show(event, await loadSurvey(surveys, path.surveyId)),
      'POST /s/{surveyId}': async ({ path, event }) =>
        submit(event, await loadSurvey(surveys, path.surveyId)),
      'GET /s/{surveyId}/unsubscribe': async ({ path, event }) => unsubscribePage(event, path.surveyId),
      'POST /s/{surveyId}/unsubscribe': async ({ path, event }) => unsubscribePage(event, path.surveyId),
    }),
  );
