import { type Locale, localized, type Survey } from '#kernel/survey.ts';
import { html } from './html.ts';
import { type Messages, messages } from './i18n.ts';
import { page } from './layout.ts';

export function renderThankYou(input: { survey: Survey; locale: Locale }): string {
  const m = messages(input.locale);
  return page({
    locale: input.locale,
    title: m.thanksTitle,
    body: html`<h1>${m.thanksTitle}</h1><p>${m.thanksBody}</p><p>${localized(input.survey.title, input.locale)}</p><p>${m.thanksClose}</p>`,
  });
}

export function renderAlreadyAnswered(input: { locale: Locale }): string {
  const m = messages(input.locale);
  return page({
    locale: input.locale,
    title: m.alreadyTitle,
    body: html`<h1>${m.alreadyTitle}</h1><p>${m.alreadyBody}</p>`,
  });
}

/**
 * An error as a page in the customer's language: 400, 403, 404, 409, 410, 413, 415, 429 and 5xx have their own
 * words; other 4xx read as 400. `title` replaces the default title. `detail` is the problem's developer text
 * (English, technical), so it is deliberately not shown.
 */
export function renderProblemPage(input: {
  locale: Locale;
  status: number;
  title?: string;
  detail?: string;
}): string {
  const problems: Messages['problems'] & Partial<Record<number, Messages['problems'][400]>> = messages(
    input.locale,
  ).problems;
  const known = problems[input.status] ?? (input.status >= 500 ? problems[500] : problems[400]);
  const title = input.title ?? known.title;
  return page({ locale: input.locale, title, body: html`<h1>${title}</h1><p>${known.detail}</p>` });
}

/**
 * Asks before unsubscribing: the link in an email is opened by mail scanners too, so only the form's POST
 * unsubscribes. The form posts what a one-click client posts (RFC 8058), so the handler treats both alike.
 */
export function renderUnsubscribe(input: { locale: Locale; action: string }): string {
  const m = messages(input.locale).unsubscribe;
  return page({
    locale: input.locale,
    title: m.title,
    body: html`<h1>${m.title}</h1><p>${m.body}</p><form method="post" action="${input.action}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${m.button}</button></form>`,
  });
}

export function renderUnsubscribed(input: { locale: Locale }): string {
  const m = messages(input.locale).unsubscribe;
  return page({
    locale: input.locale,
    title: m.doneTitle,
    body: html`<h1>${m.doneTitle}</h1><p>${m.doneBody}</p>`,
  });
}
