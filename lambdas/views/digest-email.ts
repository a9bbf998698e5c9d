import type { DigestEmailInput } from '#loop/rules/digests.ts';
import { html } from './html.ts';
import { messages } from './i18n.ts';
import { ownerEmailHtml } from './owner-email.ts';
import { fill } from './text.ts';

/**
 * The owner's hourly digest: the cases past their hour's email budget in one list, in their language; past the
 * first ones listed, how many more, with a link to the case list.
 */
export function renderDigestEmail(input: DigestEmailInput): { subject: string; html: string; text: string } {
  const w = messages(input.locale).digest;
  const values = {
    count: String(input.cases.length + input.more),
    more: String(input.more),
    hour: input.hour.slice(0, 16).replace('T', ' '),
  };
  const subject = fill(w.subject, values);
  const intro = fill(w.intro, values);
  const more = input.more > 0 ? fill(w.more, values) : undefined;
  const text = [
    intro,
    w.note,
    '',
    ...input.cases.map((c) => `- ${c.url}`),
    ...(more ? ['', more, ...(input.listUrl ? [`${w.allCases}: ${input.listUrl}`] : [])] : []),
  ].join('\n');
  const body = ownerEmailHtml({
    locale: input.locale,
    subject,
    intro,
    after: html`<p>${w.note}</p><ul>${input.cases.map((c) => html`<li><a href="${c.url}">${c.caseId}</a></li>`)}</ul>${
      more
        ? html`<p>${more}${input.listUrl ? html` <a href="${input.listUrl}">${w.allCases}</a>` : ''}</p>`
        : ''
    }`,
  });
  return { subject, html: body, text };
}
