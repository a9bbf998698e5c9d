import { type Locale, localized, type Survey } from '#kernel/survey.ts';
import type { Case } from '#loop/rules/case.ts';
import { html } from './html.ts';
import { ownerEmailHtml } from './owner-email.ts';
import { oneLine } from './text.ts';

/** The words of the email that tells a case's owner their customer is not recovered. */
const WORDS: Record<
  Locale,
  { subject: string; intro: string; score: string; note: string; action: string; caseId: string }
> = {
  en: {
    subject: 'Not recovered: {survey}, case {caseId}',
    intro:
      'The customer answered the follow-up of a resolved case: they are not satisfied with how it was handled.',
    score: 'Their answer',
    note: 'The resolution',
    action: 'Open the case (reopen it if the customer needs more)',
    caseId: 'Case',
  },
  es: {
    subject: 'No recuperado: {survey}, caso {caseId}',
    intro: 'El cliente respondió el seguimiento de un caso resuelto: no está satisfecho con cómo se atendió.',
    score: 'Su respuesta',
    note: 'La resolución',
    action: 'Abrir el caso (reábralo si el cliente necesita más)',
    caseId: 'Caso',
  },
  pt: {
    subject: 'Não recuperado: {survey}, caso {caseId}',
    intro:
      'O cliente respondeu ao acompanhamento de um caso resolvido: não está satisfeito com o atendimento.',
    score: 'A resposta dele',
    note: 'A resolução',
    action: 'Abrir o caso (reabra se o cliente precisar de mais)',
    caseId: 'Caso',
  },
};

/** For the case's owner, in their language; the resolution note and survey title escaped. */
export function notRecoveredEmailOf(publicUrl: string) {
  return (c: Case, survey: Survey): { subject: string; html: string; text: string } => {
    const locale = c.owner?.locale ?? survey.defaultLocale;
    const w = WORDS[locale];
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
