import type { Locale } from '#kernel/survey.ts';
import type { DigestEmailInput } from '#loop/rules/digests.ts';
import { html } from './html.ts';
import { ownerEmailHtml } from './owner-email.ts';
import { fill } from './text.ts';

/** The owner's hourly digest: the cases past their hour's email budget, in one list, in their language. */
const WORDS: Record<Locale, { subject: string; intro: string; note: string }> = {
  en: {
    subject: '{count} more cases for you in the hour from {hour} UTC',
    intro: 'More bad experiences reached you in the hour from {hour} UTC than one email each would serve.',
    note: 'Here they are in one list; each case escalates on its own SLA as usual.',
  },
  es: {
    subject: '{count} casos más para usted en la hora desde las {hour} UTC',
    intro:
      'En la hora desde las {hour} UTC le llegaron más malas experiencias de las que un correo por caso serviría.',
    note: 'Aquí están en una lista; cada caso escala según su propio SLA, como siempre.',
  },
  pt: {
    subject: '{count} casos a mais para você na hora a partir das {hour} UTC',
    intro:
      'Na hora a partir das {hour} UTC chegaram mais experiências ruins do que um e-mail por caso daria conta.',
    note: 'Aqui estão em uma lista; cada caso escala pelo seu próprio SLA, como sempre.',
  },
};

export function renderDigestEmail(input: DigestEmailInput): { subject: string; html: string; text: string } {
  const w = WORDS[input.locale];
  const values = { count: String(input.cases.length), hour: input.hour.slice(0, 16).replace('T', ' ') };
  const subject = fill(w.subject, values);
  const intro = fill(w.intro, values);
  const text = [intro, w.note, '', ...input.cases.map((c) => `- ${c.url}`)].join('\n');
  const body = ownerEmailHtml({
    locale: input.locale,
    subject,
    intro,
    after: html`<p>${w.note}</p><ul>${input.cases.map((c) => html`<li><a href="${c.url}">${c.caseId}</a></li>`)}</ul>`,
  });
  return { subject, html: body, text };
}
