import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { commentAnalyzer, systemClock, tableAdapters } from '#adapters/runtime.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { showSurveyPage, submitSurveyPage } from '#capture/use-cases/survey-page.ts';
import { formBody } from '#http/body.ts';
import { deviceIdOf } from '#http/device-cookie.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { pageLocale } from '#http/pages.ts';
import { problemErrors } from '#http/problem.ts';
import * as pages from '#http/survey-page-outcomes.ts';
import { invitationOfToken, invitedAnswers, unsubscribe } from '#invitations/use-cases/invited-responses.ts';
import { surveyPageRoutes } from '#routes/survey-page.ts';

const { surveys, responses, signingKeys, rateCounters, invitations, suppressions } = tableAdapters();
const invited = {
  surveys,
  responses,
  analyzer: commentAnalyzer(),
  invitations,
  signingKeys,
  clock: systemClock,
};
const deps = { ...invited, rateCounters, invitedAnswers: invitedAnswers(invited) };

async function show(event: APIGatewayProxyEventV2, surveyId: string) {
  const survey = await loadSurvey(surveys, surveyId);
  const shown = await showSurveyPage(deps, survey, event.queryStringParameters ?? {});
  return pages.shownSurveyPage(event, survey, shown);
}

async function submit(event: APIGatewayProxyEventV2, surveyId: string) {
  const survey = await loadSurvey(surveys, surveyId);
  const form = formBody(event);
  const locale = pageLocale(event, form.get('locale') ?? undefined, survey);
  const client = { deviceId: deviceIdOf(event), sourceIp: event.requestContext.http.sourceIp };
  const outcome = await submitSurveyPage(deps, survey, form, locale, client);
  return pages.submittedSurveyPage(event, survey, locale, outcome);
}

/** GET never unsubscribes (mail scanners follow links): it checks the token and shows one button. */
async function askToUnsubscribe(event: APIGatewayProxyEventV2, surveyId: string) {
  const token = event.queryStringParameters?.t ?? '';
  await invitationOfToken(invited, surveyId, token, systemClock.now(), true);
  return pages.unsubscribeQuestionPage(event, token);
}

/** The POST of that button, or of a mail client's one-click List-Unsubscribe (RFC 8058). */
async function confirmUnsubscribe(event: APIGatewayProxyEventV2, surveyId: string) {
  const token = event.queryStringParameters?.t ?? formBody(event).get('t') ?? '';
  await unsubscribe({ ...invited, suppressions }, surveyId, token, systemClock.now());
  return pages.unsubscribedPage(event);
}

/** The survey page, which works without JavaScript, and the unsubscribe page of invitations. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError, render: pages.surveyProblemPage }))
  .handler(
    dispatch(surveyPageRoutes, {
      'GET /s/{surveyId}': async ({ path, event }) => show(event, path.surveyId),
      'POST /s/{surveyId}': async ({ path, event }) => submit(event, path.surveyId),
      'GET /s/{surveyId}/unsubscribe': async ({ path, event }) => askToUnsubscribe(event, path.surveyId),
      'POST /s/{surveyId}/unsubscribe': async ({ path, event }) => confirmUnsubscribe(event, path.surveyId),
    }),
  );
