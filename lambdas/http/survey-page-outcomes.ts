import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ShownPage, SubmittedPage } from '#capture/use-cases/survey-page.ts';
import type { Locale, Survey } from '#kernel/survey.ts';
import { fieldErrorMessage } from '#views/i18n.ts';
import {
  renderAlreadyAnswered,
  renderProblemPage,
  renderThankYou,
  renderUnsubscribe,
  renderUnsubscribed,
} from '#views/pages.ts';
import { renderSurveyPage } from '#views/survey-page.ts';
import { newDeviceCookie } from './device-cookie.ts';
import { formField, htmlPage, linkAction, pageLocale } from './pages.ts';
import type { Problem } from './problem.ts';

/* The pages of the survey-page function: which view shows which outcome of its use cases, with which status,
   cookies and headers. */

type Event = APIGatewayProxyEventV2;

const page = (
  status: number,
  body: string,
  extra: { headers?: Record<string, string>; cookies?: string[] } = {},
): APIGatewayProxyStructuredResultV2 => htmlPage(status, body, { ...extra, images: true });

/** An error as a page in the customer's language (the form's, on a post). */
export function surveyProblemPage(problem: Problem, event: Event) {
  const locale = pageLocale(event, formField(event, 'locale'));
  return page(problem.status, renderProblemPage({ locale, status: problem.status, detail: problem.detail }));
}

/** GET /s/{surveyId}: the form (an open link's with the device cookie), or "already answered". */
export function shownSurveyPage(event: Event, survey: Survey, shown: ShownPage) {
  const locale = pageLocale(event, undefined, survey);
  if (shown.kind === 'already-answered') return page(200, renderAlreadyAnswered({ locale }));
  const { kind: _, ...form } = shown;
  // The device cookie behind the per-device rate limit on the form post (open links only).
  const cookie = form.token ? undefined : newDeviceCookie(event);
  const body = renderSurveyPage({ survey, locale, action: event.rawPath, ...form });
  return page(200, body, cookie ? { cookies: [cookie] } : {});
}

/** POST /s/{surveyId}: thanks, or why not (409, 429 with Retry-After, or 400 with the form and its errors). */
export function submittedSurveyPage(event: Event, survey: Survey, locale: Locale, outcome: SubmittedPage) {
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

/** GET /s/{surveyId}/unsubscribe: the page with one button. */
export function unsubscribeQuestionPage(event: Event, token: string) {
  const locale = pageLocale(event);
  // The button's post keeps the page's language: the confirmation must not fall back to Accept-Language.
  return page(200, renderUnsubscribe({ locale, action: `${linkAction(event, token)}&lang=${locale}` }));
}

/** POST /s/{surveyId}/unsubscribe: the confirmation. */
export const unsubscribedPage = (event: Event) =>
  page(200, renderUnsubscribed({ locale: pageLocale(event) }));
