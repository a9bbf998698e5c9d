import type { Mail } from '#kernel/ports.ts';
import { localized, type Survey } from '#kernel/survey.ts';
import type { Case } from '#loop/rules/case.ts';
import { caseLinkUrl } from '#loop/rules/case-links.ts';
import type { Tier } from '#loop/rules/routing.ts';
import { renderAlertEmail } from '#views/alert-email.ts';
import { html } from '#views/html.ts';
import { messages } from '#views/i18n.ts';
import { fill } from '#views/text.ts';

/**
 * The owner's email for a case, in the owner's language, with links back to the case. With `linkKey`, it also
 * carries the signed one-click acknowledge link for the person it goes to (`c.owner`).
 */
export function alertEmailOf(publicUrl: string, linkKey?: () => Promise<Buffer>) {
  return async (c: Case, survey: Survey): Promise<Omit<Mail, 'to'>> => {
    const key = linkKey && c.owner ? await linkKey() : undefined;
    const acknowledgeUrl =
      key && c.owner ? caseLinkUrl(publicUrl, key, c.caseId, c.owner.email, new Date()) : undefined;
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
      ...(acknowledgeUrl ? { acknowledgeUrl } : {}),
      openedAt: c.openedAt,
    });
  };
}

/** The email that tells a higher tier a case reached it: the alert email, opened by why it came to them. */
export function escalationEmailOf(publicUrl: string, linkKey?: () => Promise<Buffer>) {
  const alertEmail = alertEmailOf(publicUrl, linkKey);
  return async (c: Case, survey: Survey, tier: Tier): Promise<Omit<Mail, 'to'>> => {
    const locale = tier.locale ?? survey.defaultLocale;
    const owner = { segment: c.owner?.segment ?? '*', email: tier.email, locale };
    const email = await alertEmail({ ...c, owner }, survey);
    const acknowledged = c.status !== 'open';
    const hours = acknowledged ? (c.sla?.resolveHours ?? 48) : (c.sla?.ackHours ?? 24);
    const words = messages(locale).alert;
    const why = acknowledged ? words.escalatedUnresolved : words.escalatedUnacknowledged;
    const line = fill(why, { role: tier.role, hours: String(hours) });
    return {
      subject: `${line.split(':')[0]}: ${email.subject}`.replace(/[\r\n]+/g, ' ').slice(0, 200),
      text: `${line}\n\n${email.text}`,
      // The alert email's body, with the reason first.
      html: email.html.replace(/<body([^>]*)>/, `<body$1>${html`<p style="font-weight:600">${line}</p>`}`),
    };
  };
}
