import { localized, type Survey } from '#kernel/survey.ts';
import type { Case } from '#loop/rules/case.ts';
import { html } from './html.ts';
import { messages } from './i18n.ts';
import { ownerEmailHtml } from './owner-email.ts';
import { oneLine } from './text.ts';

/** For the case's owner, in their language; the resolution note and survey title escaped. */
export function notRecoveredEmailOf(publicUrl: string) {
  return (c: Case, survey: Survey): { subject: string; html: string; text: string } => {
    const locale = c.owner?.locale ?? survey.defaultLocale;
    const w = messages(locale).notRecovered;
    const title = localized(survey.title, locale);
    const subject = oneLine(w.subject.replace('{survey}', title).replace('{caseId}', c.caseId));
    const url = new URL(`v1/cases/${encodeURIComponent(c.caseId)}`, publicUrl).toString();
    const score = `${c.recovery?.score ?? '-'} / 5`;
    const rows: Array<readonly [string, string]> = [
      [w.score, score],
      [w.note, c.resolutionNote ?? '-'],
      [w.caseId, c.caseId],
    ];
    const body = ownerEmailHtml({
      locale,
      subject,
      intro: w.intro,
      rows,
      after: html`<p><a href="${url}">${w.action}</a></p>`,
    });
    const text = [w.intro, '', ...rows.map(([k, v]) => `${k}: ${v}`), '', `${w.action}: ${url}`].join('\n');
    return { subject, html: body, text };
  };
}
