import type { Locale } from '#kernel/survey.ts';
import { html } from './html.ts';
import { messages } from './i18n.ts';
import { page } from './layout.ts';

/** GET of the link: a question and one button (mail scanners follow links; only the POST acts). */
export function renderAcknowledgePage(input: { locale: Locale; action: string; caseId: string }): string {
  const w = messages(input.locale).acknowledge;
  return page({
    locale: input.locale,
    title: w.title,
    body: html`<h1>${w.title}</h1><p>${w.body}</p><p>${input.caseId}</p><form method="post" action="${input.action}"><button type="submit">${w.confirm}</button></form>`,
  });
}

export function renderAcknowledged(input: { locale: Locale; changed: boolean }): string {
  const w = messages(input.locale).acknowledge;
  return page({
    locale: input.locale,
    title: w.doneTitle,
    body: html`<h1>${w.doneTitle}</h1><p>${input.changed ? w.doneBody : w.already}</p>`,
  });
}
