import type { ResponseRecord } from '#capture/rules/response.ts';
import type { Clock, Mail, Mailer, Notifier, SurveyStore } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';
import type { AlertBudgetStore, CaseStore, RoutingStore } from '../ports.ts';
import { caseAlertAttributes } from '../rules/alert-attributes.ts';
import type { Case } from '../rules/case.ts';
import { evaluateRules, openCase } from '../rules/cases.ts';
import { DEFAULT_ALERTS_PER_OWNER_HOUR } from '../rules/digests.ts';
import { tiersFor } from '../rules/routing.ts';

export interface RaiseAlertsDeps {
  readonly surveys: SurveyStore;
  readonly cases: CaseStore;
  /** Who owns which segment, in tiers; without a matching route, the survey's owner alone. */
  readonly routing: RoutingStore;
  readonly notifier: Notifier;
  readonly mailer: Mailer;
  /** At most `alertsPerOwnerHour` alerts an hour per owner; the rest go in the hour's digest. */
  readonly budget?: AlertBudgetStore;
  readonly alertsPerOwnerHour?: number;
  readonly clock: Clock;
  /** Builds the owner's email for a case (localized, customer text escaped). */
  readonly renderEmail: (c: Case, survey: Survey) => Omit<Mail, 'to'> | Promise<Omit<Mail, 'to'>>;
}

export type RaiseAlertsOutcome =
  | 'no-rule-fired'
  | 'unknown-survey'
  | 'notified'
  | 'already-notified'
  /** The owner had their hour's alerts: the case waits for the hourly digest. */
  | 'digested'
  /** Given longer ago than the survey's `alertWithinHours`: counted, but no case. */
  | 'too-late';

/**
 * A case opened by a submission's first answers takes the answers that came after (answers one question at a
 * time: the comment after the score), so its owner reads what the customer went on to say.
 */
async function withLaterAnswers(cases: CaseStore, stored: Case, response: ResponseRecord): Promise<Case> {
  const later = Object.fromEntries(Object.entries(response.answers).filter(([q]) => !(q in stored.answers)));
  if (Object.keys(later).length === 0) return stored;
  return (await cases.addAnswers(stored.caseId, later)) ?? stored;
}

/**
 * Opens one case for a response that breaks the survey's alert rules, then tells its owner by SNS and email.
 * The case id is derived from the submission, so a re-delivered record finds its case and does not open another;
 * the notification is marked once sent, so a retry after it does not send it again.
 */
export async function raiseAlerts(
  deps: RaiseAlertsDeps,
  response: ResponseRecord,
): Promise<RaiseAlertsOutcome> {
  const survey = await deps.surveys.get(response.surveyId);
  if (!survey) return 'unknown-survey';
  const age = deps.clock.now().getTime() - Date.parse(response.receivedAt);
  if (age > survey.alertWithinHours * 3_600_000) return 'too-late';
  const hits = evaluateRules(survey, response);
  if (hits.length === 0) return 'no-rule-fired';
  const tiers = tiersFor(await deps.routing.get(), response.attributes);
  const opened = await deps.cases.openIfAbsent(openCase(survey, response, hits, deps.clock.now(), tiers));
  const stored = opened.created ? opened.stored : await withLaterAnswers(deps.cases, opened.stored, response);
  if (stored.notifiedAt) return 'already-notified';
  if (stored.owner && deps.budget) {
    const limit = deps.alertsPerOwnerHour ?? DEFAULT_ALERTS_PER_OWNER_HOUR;
    const locale = stored.owner.locale ?? survey.defaultLocale;
    const admitted = await deps.budget.admit(
      stored.owner.email,
      stored.caseId,
      deps.clock.now(),
      limit,
      locale,
    );
    if (admitted === 'digest') {
      await deps.cases.markNotified(stored.caseId, deps.clock.now().toISOString());
      return 'digested';
    }
  }

  const email = await deps.renderEmail(stored, survey);
  await deps.notifier.publish({
    subject: email.subject,
    message: email.text,
    attributes: caseAlertAttributes(stored, 'opened'),
  });
  if (stored.owner) await deps.mailer.send({ to: stored.owner.email, ...email });
  await deps.cases.markNotified(stored.caseId, deps.clock.now().toISOString());
  return 'notified';
}
