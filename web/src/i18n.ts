import type { Locale } from '#kernel/survey.ts';
import { LANGUAGE_NAMES, messages, negotiateLocale } from '#views/i18n.ts';
import { fill } from '#views/text.ts';

export type { Locale };
/** The catalogue's languages (not kernel/survey.ts's list, which would bring zod into the bundle). */
export const LOCALES = Object.keys(LANGUAGE_NAMES) as Locale[];

/** The person's language: the ID token's, else the browser's first known one, else English. */
export const localeOf = (preferred?: string): Locale =>
  negotiateLocale(preferred, navigator.languages.join(','), LOCALES, 'en');

export const wordsOf = (locale: Locale) => messages(locale).app;
export type Words = ReturnType<typeof wordsOf>;
export { fill };

/**
 * One formatter per language and options, made once: building an Intl formatter costs far more than using one,
 * and a screen formats hundreds of figures (on a phone at 4x CPU throttling, making them anew took most of a
 * second per render; bench/web-app.ts).
 */
function formatterOf<T>(make: () => T, cache: Map<string, T>, key: string): T {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}
const numbers = new Map<string, Intl.NumberFormat>();
const dates = new Map<string, Intl.DateTimeFormat>();

/** Numbers as the person writes them (42,5 in es and pt), with at most `digits` decimals, as the API rounds them. */
export const number = (locale: Locale, x: number, digits = 0) =>
  formatterOf(
    () => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }),
    numbers,
    `${locale}|${digits}`,
  ).format(x);

/** An instant (or a UTC day) as the person writes dates: `style` names the options, made into a formatter once. */
export const dateText = (locale: Locale, at: Date, style: 'day' | 'moment' | 'time') =>
  formatterOf(
    () =>
      new Intl.DateTimeFormat(
        locale,
        style === 'day'
          ? { day: 'numeric', month: 'short', timeZone: 'UTC' }
          : style === 'moment'
            ? { dateStyle: 'medium', timeStyle: 'short' }
            : { hour: '2-digit', minute: '2-digit' },
      ),
    dates,
    `${locale}|${style}`,
  ).format(at);
