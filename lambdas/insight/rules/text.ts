import snowball from 'snowball-stemmers';
import { fold } from '#kernel/fold.ts';
import type { Locale } from '#kernel/survey.ts';

/**
 * A comment as the analysis reads it: its words folded (lower case, no accents: "Atención" and "atencion" are
 * one word, as customers type either) with their Snowball stems, its emoji and emoticons, and where a clause
 * ends (punctuation), since negation and "but" reach no further.
 */
export type Token =
  | { readonly kind: 'word'; readonly word: string; readonly stem: string; readonly shouted: boolean }
  | { readonly kind: 'emoji'; readonly emoji: string }
  | { readonly kind: 'break'; readonly exclaims: number; readonly comma: boolean };

const STEMMERS = {
  en: snowball.newStemmer('english'),
  es: snowball.newStemmer('spanish'),
  pt: snowball.newStemmer('portuguese'),
} satisfies Record<Locale, { stem(word: string): string }>;

/** The Snowball stem of a folded word in the language: "atendieron" and "atención" share "atend"... */
export const stemOf = (word: string, language: Locale) => STEMMERS[language].stem(word);

// A word (with an English contraction's apostrophe), an emoji (with its joiners), a face typed as text, or the
// punctuation that ends a clause.
const PIECES =
  /(\p{L}[\p{L}\p{N}]*(?:['’]\p{L}+)?)|(\p{Extended_Pictographic}(?:\u200d\p{Extended_Pictographic})*)|((?<![\p{L}\p{N}])[:;=x8][-'^o]?[()DPp[\]\\/|*3](?![\p{L}\p{N}])|<3)|([.!?;,\n]+|\s[-–—]\s)/gu;

/** The comment's tokens, in order. */
export function tokensOf(text: string, language: Locale): Token[] {
  const tokens: Token[] = [];
  for (const [, word, emoji, face, stop] of text.normalize('NFC').matchAll(PIECES)) {
    if (word) {
      const folded = fold(word).replace(/’/g, "'");
      const shouted = word.length > 2 && word === word.toUpperCase() && word !== word.toLowerCase();
      tokens.push({ kind: 'word', word: folded, stem: stemOf(folded, language), shouted });
    } else if (emoji) tokens.push({ kind: 'emoji', emoji: emoji.replace(/\ufe0f/g, '') });
    else if (face) tokens.push({ kind: 'emoji', emoji: face });
    else if (stop)
      tokens.push({
        kind: 'break',
        exclaims: [...stop].filter((c) => c === '!').length,
        comma: !/[.!?\n]/.test(stop),
      });
  }
  return tokens;
}

/** A Spanish or Portuguese diminutive's word ("rapidinho", "rapidito" -> "rapido"), or undefined. */
export function undiminished(word: string, language: Locale): string | undefined {
  const pattern = language === 'pt' ? /z?inh([oa]s?)$/ : language === 'es' ? /c?it([oa]s?)$/ : undefined;
  if (!pattern || word.length < 7 || !pattern.test(word)) return undefined;
  return word.replace(pattern, '$1');
}

/** Words only a speaker of one language writes often; a comment's language is the one whose words it uses most. */
const MARKERS: Readonly<Record<Locale, ReadonlySet<string>>> = {
  en: new Set(
    'the and is was were are it this that with very not but they for have has had you my of to at good bad great thanks'.split(
      ' ',
    ),
  ),
  es: new Set(
    'el los las es muy pero y fue estaba bueno buena mala malo con una del lo le les gracias mucho hay todo'.split(
      ' ',
    ),
  ),
  pt: new Set(
    'o os as e muito mas nao foi estava bom boa ruim com uma do da no na voce obrigado obrigada ja tudo'.split(
      ' ',
    ),
  ),
};

/**
 * The language a comment is written in: the response's locale unless the text plainly uses another language's
 * words (at least two more of them, and more than of the locale's). Short comments keep the locale.
 */
export function languageOf(text: string, locale: Locale): Locale {
  const words = fold(text).match(/\p{L}+/gu) ?? [];
  const votes = (l: Locale) => words.filter((w) => MARKERS[l].has(w)).length;
  const own = votes(locale);
  let best: Locale = locale;
  let most = own;
  for (const l of Object.keys(MARKERS) as Locale[]) {
    const v = votes(l);
    if (v > most) [best, most] = [l, v];
  }
  return most >= own + 2 ? best : locale;
}
