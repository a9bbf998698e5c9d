import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { attributesSchema, submissionIdSchema } from '#capture/rules/response.ts';
import { answersFromEmail, linkAttributes, splitSurveyForm } from '#capture/rules/survey-form.ts';
import { recordFormResponse } from '#capture/use-cases/record-form-response.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { checkSurveyLink } from '#capture/use-cases/survey-links.ts';
import { formBody } from '#http/body.ts';
import { deviceIdOf, newDeviceCookie } from '#http/device-cookie.ts';
import { dispatch } from '#http/dispatch.ts';
import { logError, logger } from '#http/logger.ts';
import { formField, htmlPage, pageLocale } from '#http/pages.ts';
import { type Problem, problemErrors } from '#http/problem.ts';
import { invitationSubmissionId } from '#invitations/rules/invitations.ts';
import {
  answerInvitation,
  invitationOfToken,
  openInvitation,
  unsubscribe,
} from '#invitations/use-cases/invited-responses.ts';
import { RateLimitedError, ValidationError } from '#kernel/errors.ts';
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

const page = (
  status: number,
  body: string,
  extra: { headers?: Record<string, string>; cookies?: string[] } = {},
) => htmlPage(status, body, { ...extra, images: true });
const localeOf = (event: APIGatewayProxyEventV2, survey?: Survey, fromForm?: string) =>
  pageLocale(event, fromForm, survey);

function renderProblem(problem: Problem, event: APIGatewayProxyEventV2) {
  const locale = localeOf(event, undefined, formField(event, 'locale'));
  return page(problem.status, renderProblemPage({ locale, status: problem.status, detail: problem.detail }));
}

/** The page of an invited customer (`?t=`): answered once, counted as opened and started. */
async function showInvited(event: APIGatewayProxyEventV2, survey: Survey, token: string) {
  const locale = localeOf(event, survey);
  const opened = await openInvitation(invited, survey.id, token, systemClock.now());
  if (opened.status === 'answered') return page(200, renderAlreadyAnswered({ locale }));
  return page(
    200,
    renderSurveyPage({
      survey,
      locale,
      action: event.rawPath,
      submissionId: invitationSubmissionId(opened.invitation.invitationId),
      attributes: {},
      token,
      values: answersFromEmail(survey, event.queryStringParameters?.score),
    }),
  );
}

async function show(event: APIGatewayProxyEventV2, survey: Survey) {
  const token = event.queryStringParameters?.t;
  if (token) return showInvited(event, survey, token);
  const attributes = attributesSchema.parse(linkAttributes(event.queryStringParameters ?? {}));
  const sig = event.queryStringParameters?.sig;
  await checkSurveyLink(signingKeys, survey, attributes, sig);
  const locale = localeOf(event, survey);
  // The device cookie behind the per-device rate limit on the form post.
  const cookie = newDeviceCookie(event);
  return page(
    200,
    renderSurveyPage({ survey, locale, action: event.rawPath, submissionId: randomUUID(), attributes, sig }),
    cookie ? { cookies: [cookie] } : {},
  );
}

async function submit(event: APIGatewayProxyEventV2, survey: Survey) {
  const form = formBody(event);
  const { answers, attributes } = splitSurveyForm(survey, form);
  const locale = localeOf(event, survey, form.get('locale') ?? undefined);
  const token = form.get('t') ?? undefined;
  // An invited answer's submission is its invitation (the hidden field only rides along for the page).
  const submissionId = token
    ? (form.get('submissionId') ?? '')
    : submissionIdSchema.parse(form.get('submissionId') ?? '');
  const sig = form.get('sig') ?? undefined;
  try {
    if (token) {
      const answered = await answerInvitation(invited, { surveyId: survey.id, token, answers, locale });
      // The link was used for other answers: a friendly page, and nothing counted.
      if (answered.status === 'answered') return page(409, renderAlreadyAnswered({ locale }));
      return page(200, renderThankYou({ survey, locale }));
    }
    // A page reload or double tap posts the same submissionId: it is counted once.
    await recordFormResponse(
      { surveys, responses, clock: systemClock, signingKeys, rateCounters },
      {
        surveyId: survey.id,
        submissionId,
        answers,
        attributes: attributesSchema.parse(attributes),
        locale,
        sig,
        client: { deviceId: deviceIdOf(event), sourceIp: event.requestContext.http.sourceIp },
      },
    );
    return page(200, renderThankYou({ survey, locale }));
  } catch (err) {
    if (err instanceof RateLimitedError) {
      const body = renderProblemPage({ locale, status: 429 });
      return page(429, body, { headers: { 'retry-after': String(err.retryAfterSeconds) } });
    }
    if (!(err instanceof ValidationError) || !err.errors.some((e) => e.field.startsWith('answers.')))
      throw err;
    const errors = Object.fromEntries(
      err.errors
        .filter((e) => e.field.startsWith('answers.'))
        .map((e) => [e.field.slice(8), fieldErrorMessage(locale, e.code)]),
    );
    return page(
      400,
      renderSurveyPage({
        survey,
        locale,
        action: event.rawPath,
        submissionId,
        attributes: token ? {} : attributes,
        sig,
        token,
        values: answers,
        errors,
      }),
    );
  }
}

/**
 * GET and POST /s/{surveyId}/unsubscribe?t=: a page with one button (GET never unsubscribes: mail scanners
 * follow links), and the POST of that button or of a mail client's one-click List-Unsubscribe (RFC 8058).
 */
async function unsubscribePage(event: APIGatewayProxyEventV2, surveyId: string) {
  const locale = localeOf(event);
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
