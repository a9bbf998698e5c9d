import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { FOLLOW_UP_FIELD } from '#loop/rules/recovery.ts';
import type { FollowUpOutcome } from '#loop/use-cases/case-links.ts';
import { renderAcknowledged, renderAcknowledgePage } from '#views/case-link-pages.ts';
import { renderFollowUpPage, renderFollowUpThanks } from '#views/follow-up.ts';
import { renderAlreadyAnswered, renderProblemPage } from '#views/pages.ts';
import { linkAction, htmlPage as page, pageLocale } from './pages.ts';
import type { Problem } from './problem.ts';

/* The pages of the case-links function: which view shows which outcome of its use cases, with which status. */

type Event = APIGatewayProxyEventV2;

/** An error as a page in the customer's (or the owner's) language. */
export const caseLinkProblemPage = (problem: Problem, event: Event) =>
  page(problem.status, renderProblemPage({ locale: pageLocale(event), status: problem.status }));

/** GET /c/{caseId}/acknowledge: the question and one button (mail scanners follow links; only the POST acts). */
export const acknowledgeQuestionPage = (event: Event, caseId: string, token: string) =>
  page(200, renderAcknowledgePage({ locale: pageLocale(event), action: linkAction(event, token), caseId }));

/** POST /c/{caseId}/acknowledge: acknowledged, or acknowledged already (`changed: false`). */
export const acknowledgedPage = (event: Event, changed: boolean) =>
  page(200, renderAcknowledged({ locale: pageLocale(event), changed }));

/** GET /c/{caseId}/follow-up: the question, or "already answered". */
export function followUpPage(event: Event, caseId: string, token: string, shown: 'open' | 'answered') {
  const locale = pageLocale(event);
  if (shown === 'answered') return page(200, renderAlreadyAnswered({ locale }));
  return page(200, renderFollowUpPage({ locale, action: linkAction(event, token), token, caseId }));
}

/** POST /c/{caseId}/follow-up: thanks, 409 when answered already, or 400 with the question and its error. */
export function answeredFollowUpPage(
  event: Event,
  form: URLSearchParams,
  link: { readonly caseId: string; readonly token: string },
  outcome: FollowUpOutcome,
) {
  const locale = pageLocale(event, form.get('locale') ?? undefined);
  if (outcome.status === 'answered') return page(409, renderAlreadyAnswered({ locale }));
  if (outcome.status === 'thanks')
    return page(200, renderFollowUpThanks({ locale, recovered: outcome.recovered }));
  const { caseId, token } = link;
  const value = form.get(FOLLOW_UP_FIELD) ?? undefined;
  const action = linkAction(event, token);
  return page(400, renderFollowUpPage({ locale, action, token, caseId, error: outcome.code, value }));
}
