import { randomUUID } from 'node:crypto';
import { RateLimitedError, ValidationError } from '#kernel/errors.ts';
import type { Clock, SigningKeyStore, SurveyStore } from '#kernel/ports.ts';
import type { Locale, Survey } from '#kernel/survey.ts';
import type { CommentAnalyzer, InvitedAnswers, RateCounterStore, ResponseStore } from '../ports.ts';
import { attributesSchema, submissionIdSchema } from '../rules/response.ts';
import { answersFromEmail, linkAttributes, splitSurveyForm } from '../rules/survey-form.ts';
import { type FormPost, recordFormResponse } from './record-form-response.ts';
import { checkSurveyLink } from './survey-links.ts';

export interface SurveyPageDeps {
  readonly surveys: SurveyStore;
  readonly responses: ResponseStore;
  readonly analyzer: CommentAnalyzer;
  readonly signingKeys: SigningKeyStore;
  readonly rateCounters: RateCounterStore;
  readonly invitedAnswers: InvitedAnswers;
  readonly clock: Clock;
}

/** What the page's form carries besides the questions: hidden fields kept across a failed post. */
export interface PageForm {
  readonly submissionId: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly sig?: string;
  readonly token?: string;
  readonly values?: Readonly<Record<string, string>>;
}

export type ShownPage = ({ readonly kind: 'form' } & PageForm) | { readonly kind: 'already-answered' };

/**
 * GET /s/{surveyId}: an invitation link (`t`) opens its invitation, answered once, with the score its email may
 * carry preselected; an open link or QR code is checked against its signature (`sig`) and gets a new submission id.
 */
export async function showSurveyPage(
  deps: Pick<SurveyPageDeps, 'signingKeys' | 'invitedAnswers'>,
  survey: Survey,
  query: Readonly<Record<string, string | undefined>>,
): Promise<ShownPage> {
  const token = query.t;
  if (token) {
    const opened = await deps.invitedAnswers.open(survey.id, token);
    if (opened.status === 'answered') return { kind: 'already-answered' };
    const values = answersFromEmail(survey, query.score);
    return { kind: 'form', submissionId: opened.submissionId, attributes: {}, token, values };
  }
  const attributes = attributesSchema.parse(linkAttributes(query));
  await checkSurveyLink(deps.signingKeys, survey, attributes, query.sig);
  return { kind: 'form', submissionId: randomUUID(), attributes, sig: query.sig };
}

export type SubmittedPage =
  | { readonly kind: 'thanks' }
  | { readonly kind: 'already-answered' }
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  /** Answers that break the survey's questions: the page again, with a code per question. */
  | { readonly kind: 'invalid'; readonly errors: Readonly<Record<string, string>>; readonly form: PageForm };

/**
 * POST /s/{surveyId}: an invited answer counts once for its invitation; any other is recorded once per
 * submission id (a reload or a double tap posts the same one), within the survey's rate limits.
 */
export async function submitSurveyPage(
  deps: SurveyPageDeps,
  survey: Survey,
  form: URLSearchParams,
  locale: Locale,
  client: FormPost['client'],
): Promise<SubmittedPage> {
  const { answers, attributes } = splitSurveyForm(survey, form);
  const token = form.get('t') ?? undefined;
  // An invited answer's submission is its invitation (the hidden field only rides along for the page).
  const submissionId = token
    ? (form.get('submissionId') ?? '')
    : submissionIdSchema.parse(form.get('submissionId') ?? '');
  const sig = form.get('sig') ?? undefined;
  try {
    if (token) {
      const answered = await deps.invitedAnswers.answer({ surveyId: survey.id, token, answers, locale });
      return { kind: answered.status === 'answered' ? 'already-answered' : 'thanks' };
    }
    await recordFormResponse(deps, {
      surveyId: survey.id,
      submissionId,
      answers,
      attributes: attributesSchema.parse(attributes),
      locale,
      sig,
      client,
    });
    return { kind: 'thanks' };
  } catch (err) {
    if (err instanceof RateLimitedError)
      return { kind: 'rate-limited', retryAfterSeconds: err.retryAfterSeconds };
    if (!(err instanceof ValidationError) || !err.errors.some((e) => e.field.startsWith('answers.')))
      throw err;
    const errors: Record<string, string> = Object.fromEntries(
      err.errors.filter((e) => e.field.startsWith('answers.')).map((e) => [e.field.slice(8), e.code]),
    );
    const kept = { submissionId, attributes: token ? {} : attributes, sig, token, values: answers };
    return { kind: 'invalid', errors, form: kept };
  }
}
