import type { Case } from '#domain/cases.ts';
import { localized, type Survey } from '#domain/survey.ts';
import type { Mail } from '#ports/index.ts';
import { renderAlertEmail } from '../views/alert-email.ts';

/** The owner's email for a case, in the customer's language, with links back to the case. */
export function alertEmailOf(publicUrl: string) {
  return (c: Case, survey: Survey): Omit<Mail, 'to'> => {
    // The owner reads the email, so it speaks the owner's language; answers are quoted in the survey's wording.
    const locale = c.owner?.locale ?? survey.defaultLocale;
    const answers = survey.questions
      .filter((q) => q.type !== 'text' && c.answers[q.id] !== undefined)
      .map((q) => ({ question: localized(q.text, locale), answer: String(c.answers[q.id]) }));
    const comment = survey.questions
      .filter((q) => q.type === 'text')
      .map((q) => c.answers[q.id])
      .find((a): a is string => typeof a === 'string' && a !== '');
    return renderAlertEmail({
      locale,
      surveyTitle: localized(survey.title, locale),
      ruleId: c.hits.map((h) => h.ruleId).join(', '),
      severity: c.severity,
      answers,
      ...(comment ? { comment } : {}),
      segment: { ...c.segment },
      caseId: c.caseId,
      caseUrl: new URL(`v1/cases/${encodeURIComponent(c.caseId)}`, publicUrl).toString(),
      openedAt: c.openedAt,
    });
  };
}
