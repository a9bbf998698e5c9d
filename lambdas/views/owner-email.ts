import type { Locale } from '#kernel/survey.ts';
import { html, raw, type SafeHtml } from './html.ts';
import { emailFrame } from './layout.ts';

/** The style of a row heading in owners' emails. */
const TH = 'text-align:left;vertical-align:top;padding:.25em 1em .25em 0;color:#444';

/**
 * The plain frame of the emails Pulso sends to the people who act (case alerts, threshold alerts, not-recovered
 * news, digests): the intro, a table of facts, and what follows it. Everything interpolated is escaped.
 */
export function ownerEmailHtml(input: {
  locale: Locale;
  subject: string;
  intro: string;
  rows?: ReadonlyArray<readonly [string, string]>;
  after?: SafeHtml;
}): string {
  const rows = input.rows?.length
    ? html`<table>${input.rows.map(([k, v]) => html`<tr><th scope="row" style="${TH}">${k}</th><td>${v}</td></tr>`)}</table>`
    : '';
  return emailFrame({
    locale: input.locale,
    title: input.subject,
    style: 'plain',
    bodyAttributes: raw(' style="font-family:system-ui,sans-serif;color:#1a1a1a;line-height:1.5"'),
    body: html`<p>${input.intro}</p>${rows}${input.after ?? ''}`,
  });
}
