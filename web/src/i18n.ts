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

/** Numbers as the person writes them (42,5 in es and pt), with at most `digits` decimals, as the API rounds them. */
export const number = (locale: Locale, x: number, digits = 0) =>
  x.toLocaleString(locale, { maximumFractionDigits: digits });
