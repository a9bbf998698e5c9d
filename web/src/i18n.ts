import type { Locale } from '#kernel/survey.ts';
import { messages } from '#views/i18n.ts';
import { fill } from '#views/text.ts';

export type { Locale };
export const LOCALES: readonly Locale[] = ['es', 'pt', 'en'];

/** The person's language: the ID token's, else the browser's first known one, else English. */
export function localeOf(...wanted: ReadonlyArray<string | undefined>): Locale {
  for (const tag of wanted.flatMap((w) => (w ? [w] : [])).concat([...navigator.languages])) {
    const language = tag.slice(0, 2).toLowerCase();
    if ((LOCALES as readonly string[]).includes(language)) return language as Locale;
  }
  return 'en';
}

export const wordsOf = (locale: Locale) => messages(locale).app;
export type Words = ReturnType<typeof wordsOf>;
export { fill };

/** Numbers as the person writes them (42,5 in es and pt), with at most `digits` decimals, as the API rounds them. */
export const number = (locale: Locale, x: number, digits = 0) =>
  x.toLocaleString(locale, { maximumFractionDigits: digits });
