import type { Locale } from '#kernel/survey.ts';
import type { Catalogue } from './strings/catalogue.ts';
import { en } from './strings/en.ts';
import { es } from './strings/es.ts';
import { pt } from './strings/pt.ts';

/** Every locale's catalogue; `satisfies` makes a locale without one a build error. */
const CATALOGUES = { en, es, pt } satisfies Record<Locale, Catalogue>;

/** The words of one locale, for every page, email and SMS. */
export type Messages = Catalogue;

export function messages(locale: Locale): Messages {
  return CATALOGUES[locale];
}

/** The Intl locale each language writes dates and numbers in, in emails (English as in Britain: day, then month). */
export const INTL_LOCALES: Record<Locale, string> = { en: 'en-GB', es: 'es', pt: 'pt-BR' };

/** Each language by its own name, for the language switcher. */
export const LANGUAGE_NAMES = Object.fromEntries(
  Object.entries(CATALOGUES).map(([locale, m]) => [locale, m.languageName]),
) as Record<Locale, string>;

/**
 * A field error in the customer's language, from the domain's error code. With the question type, a missing
 * comment asks to write rather than to choose.
 */
export function fieldErrorMessage(locale: Locale, code: string, questionType?: string): string {
  const errors: Readonly<Record<string, string | undefined>> = CATALOGUES[locale].errors;
  const key = code === 'required' && questionType === 'text' ? 'required_text' : code;
  return errors[key] ?? CATALOGUES[locale].errors.default;
}

/** At most this many Accept-Language entries are read: the header is client input. */
const MAX_LANGUAGE_RANGES = 20;

/**
 * `lang` wins when supported; then Accept-Language by q-value, ties in header order (pt-BR -> pt,
 * es-419 -> es, `*` -> the fallback); then the fallback.
 */
export function negotiateLocale(
  lang: string | undefined,
  acceptLanguage: string | undefined,
  supported: readonly Locale[],
  fallback: Locale,
): Locale {
  const safeFallback = supported.includes(fallback) ? fallback : (supported[0] ?? fallback);
  const pick = (tag: string | undefined): Locale | undefined => {
    const trimmed = tag?.trim().toLowerCase();
    if (trimmed === '*') return safeFallback;
    const base = trimmed?.split(/[-_]/)[0];
    return supported.find((l) => l === base);
  };
  const fromParam = pick(lang === '*' ? undefined : lang);
  if (fromParam) return fromParam;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .slice(0, MAX_LANGUAGE_RANGES)
    .map((part, i) => {
      const [tag, ...params] = part.split(';');
      const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { tag, q: Number.isFinite(q) && q <= 1 ? q : 0, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const found = pick(tag);
    if (found) return found;
  }
  return safeFallback;
}
