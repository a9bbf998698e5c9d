import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { systemClock, tableAdapters } from '#adapters/runtime.ts';
import { ValidationError } from '#domain/errors.ts';
import { loadSurvey, recordResponse } from '#domain/record-response.ts';
import { attributesSchema, submissionIdSchema } from '#domain/response.ts';
import { LOCALES, type Locale, type Survey } from '#domain/survey.ts';
import { formBody } from '../http/body.ts';
import { logError, logger } from '../http/logger.ts';
import { type Problem, problemErrors } from '../http/problem.ts';
import { fieldErrorMessage, negotiateLocale } from '../views/i18n.ts';
import { renderProblemPage, renderThankYou } from '../views/pages.ts';
import { renderSurveyPage } from '../views/survey-page.ts';

const { surveys, responses } = tableAdapters();
/** Query parameters with a meaning of their own; every other one is a hidden segment attribute. */
const RESERVED = new Set(['lang', 't']);

const page = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  },
  body,
});

const localeOf = (event: APIGatewayProxyEventV2, survey?: Survey, fromForm?: string): Locale =>
  negotiateLocale(
    fromForm ?? event.queryStringParameters?.lang,
    event.headers?.['accept-language'],
    survey?.locales ?? LOCALES,
    survey?.defaultLocale ?? 'en',
  );

function renderProblem(problem: Problem, event: APIGatewayProxyEventV2) {
  return page(
    problem.status,
    renderProblemPage({ locale: localeOf(event), status: problem.status, detail: problem.detail }),
  );
}

async function show(event: APIGatewayProxyEventV2, survey: Survey) {
  const query = Object.entries(event.queryStringParameters ?? {}).filter(([k]) => !RESERVED.has(k));
  const attributes = attributesSchema.parse(Object.fromEntries(query));
  const locale = localeOf(event, survey);
  return page(
    200,
    renderSurveyPage({ survey, locale, action: event.rawPath, submissionId: randomUUID(), attributes }),
  );
}

async function submit(event: APIGatewayProxyEventV2, survey: Survey) {
  const form = formBody(event);
  const answers: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  for (const [key, value] of form) {
    if (key.startsWith('attr.')) attributes[key.slice(5)] = value;
    else if (survey.questions.some((q) => q.id === key)) answers[key] = value;
  }
  const locale = localeOf(event, survey, form.get('locale') ?? undefined);
  const submissionId = submissionIdSchema.parse(form.get('submissionId') ?? '');
  try {
    // A page reload or double tap posts the same submissionId: it is counted once.
    await recordResponse(
      { surveys, responses, clock: systemClock },
      {
        surveyId: survey.id,
        submissionId,
        answers,
        attributes: attributesSchema.parse(attributes),
        locale,
        capturedVia: 'web',
      },
    );
    return page(200, renderThankYou({ survey, locale }));
  } catch (err) {
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
        attributes,
        values: answers,
        errors,
      }),
    );
  }
}

/** GET and POST /s/{surveyId}: the survey page, which works without JavaScript. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(problemErrors({ log: logError, render: renderProblem }))
  .handler(async (event) => {
    const survey = await loadSurvey(surveys, event.pathParameters?.surveyId ?? '');
    return event.requestContext.http.method === 'POST' ? submit(event, survey) : show(event, survey);
  });
