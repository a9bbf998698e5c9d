import { fold } from '#kernel/fold.ts';
import type { Locale, Theme } from '#kernel/survey.ts';

export { DEFAULT_THEMES, themesOf } from '#kernel/themes.ts';

import { isNegator } from './sentiment.ts';
import { languageOf, stemOf, type Token, tokensOf } from './text.ts';

/**
 * A theme a comment talks about: the first word of it found, and whether every mention of it was negated ("no tuve
 * que esperar" still talks about waiting, in its favour; the comment's sentiment says which way it went).
 */
export interface Mention {
  readonly theme: string;
  readonly word: string;
  readonly negated: boolean;
}

/** How far back a negation reaches a word: "no tuve que esperar", "não tinha fila". */
const NEGATION_REACH = 3;

type Matcher = (tokens: readonly Token[], i: number) => number;

/** A listed word or phrase as a test at a token: how many tokens it covers there (0: none). */
function matcherOf(entry: string, language: Locale, byPrefix: boolean): Matcher {
  const parts = fold(entry.trim())
    .split(/[\s-]+/)
    .filter(Boolean);
  const last = parts.length - 1;
  const tests = parts.map((p, k) => {
    if (p.endsWith('*') || (byPrefix && k === last)) {
      const prefix = p.replace(/\*$/, '');
      return (t: Token) => t.kind === 'word' && t.word.startsWith(prefix);
    }
    const stem = stemOf(p, language);
    return (t: Token) => t.kind === 'word' && (t.stem === stem || t.word === p);
  });
  return (tokens, i) =>
    tests.every((test, k) => tokens[i + k] && test(tokens[i + k] as Token)) ? tests.length : 0;
}

/** Whether a negation in the same clause, at most three words before token `i`, turns it around. */
function negatedAt(tokens: readonly Token[], i: number, language: Locale): boolean {
  let words = 0;
  for (let k = i - 1; k >= 0 && words < NEGATION_REACH; k--) {
    const t = tokens[k] as Token;
    if (t.kind === 'break') return false;
    if (t.kind !== 'word') continue;
    if (isNegator(t.word, language)) return true;
    words++;
  }
  return false;
}

/** Each place a word or phrase of the list is found in the tokens, with whether it is negated there. */
function found(
  tokens: readonly Token[],
  matchers: ReadonlyArray<readonly [string, Matcher]>,
  language: Locale,
) {
  const hits: { word: string; negated: boolean }[] = [];
  for (let i = 0; i < tokens.length; i++)
    for (const [word, match] of matchers)
      if (match(tokens, i) > 0) hits.push({ word, negated: negatedAt(tokens, i, language) });
  return hits;
}

const compiled = new WeakMap<Theme, Map<Locale, Array<readonly [string, Matcher]>>>();
function matchersOf(theme: Theme, language: Locale) {
  const byLanguage = compiled.get(theme) ?? new Map<Locale, Array<readonly [string, Matcher]>>();
  compiled.set(theme, byLanguage);
  let matchers = byLanguage.get(language);
  if (!matchers) {
    matchers = (theme.words[language] ?? []).map((w) => [w, matcherOf(w, language, false)] as const);
    byLanguage.set(language, matchers);
  }
  return matchers;
}

/** The themes a comment in a language talks about, in the survey's order, each once. */
export function mentionsIn(text: string, language: Locale, themes: readonly Theme[]): Mention[] {
  const tokens = tokensOf(text, language);
  const mentions: Mention[] = [];
  for (const theme of themes) {
    const hits = found(tokens, matchersOf(theme, language), language);
    const first = hits[0];
    if (first) mentions.push({ theme: theme.id, word: first.word, negated: hits.every((h) => h.negated) });
  }
  return mentions;
}

/**
 * The first listed word a keyword rule finds in a comment, as keyword rules always read (at the start of a word of
 * the comment, case and accents aside, in every language's list), unless a negation turns it around where it stands:
 * "no voy a cancelar" does not find `cancel`; "no, voy a cancelar" does. Negation is read in the comment's language:
 * its response's locale unless the text is plainly in another, so "reclamar no Procon" in Portuguese finds `Procon`.
 */
export function keywordFound(
  text: string,
  words: Readonly<Partial<Record<Locale, readonly string[] | undefined>>>,
  locale: Locale,
): string | undefined {
  if (text === '') return undefined;
  const language = languageOf(text, locale);
  const tokens = tokensOf(text, language);
  for (const word of Object.values(words).flatMap((w) => w ?? []))
    if (found(tokens, [[word, matcherOf(word, language, true)]], language).some((h) => !h.negated))
      return word;
  return undefined;
}
