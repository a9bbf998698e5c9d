import { fold } from '#kernel/fold.ts';
import type { Locale } from '#kernel/survey.ts';

/**
 * What a customer's reply to a question sent as a message means: a score on the question's scale, a wish to stop
 * hearing from Pulso, or something unclear (asked again once, with a hint). Replies are read in the customer's
 * language, and in the others too: a Spanish speaker may answer "nine".
 */
export type Reading =
  | { readonly kind: 'score'; readonly score: number }
  | { readonly kind: 'stop' }
  | { readonly kind: 'unclear' };

/** The scale a score reply is read on, and whether faces and stars stand for its points (CSAT, 1 to 5). */
export interface ReplyScale {
  readonly min: number;
  readonly max: number;
  readonly faces?: boolean;
}

/** Accents, case and the spaces around gone: "Nueve!" and "nueve" read alike. */
export function folded(text: string): string {
  return fold(text).replace(/\s+/g, ' ').trim();
}

/** Numbers written out, 0 to 10, in Spanish, Portuguese and English (accents folded). */
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  cero: 0,
  zero: 0,
  uno: 1,
  one: 1,
  dos: 2,
  dois: 2,
  duas: 2,
  two: 2,
  tres: 3,
  three: 3,
  cuatro: 4,
  quatro: 4,
  four: 4,
  cinco: 5,
  five: 5,
  seis: 6,
  six: 6,
  siete: 7,
  sete: 7,
  seven: 7,
  ocho: 8,
  oito: 8,
  eight: 8,
  nueve: 9,
  nove: 9,
  nine: 9,
  diez: 10,
  dez: 10,
  ten: 10,
};

/**
 * Whole replies that ask to stop, per language (folded). The whole reply, not a word in it: "no voy a parar de
 * comprar" is not a stop.
 */
export const STOP_WORDS: Readonly<Record<Locale, readonly string[]>> = {
  en: ['stop', 'unsubscribe', 'stop all', 'end', 'quit', 'cancel'],
  es: ['parar', 'para', 'basta', 'baja', 'cancelar', 'no mas', 'no quiero mas'],
  pt: ['parar', 'pare', 'sair', 'cancelar', 'nao quero mais', 'chega'],
};
const STOPS = new Set(Object.values(STOP_WORDS).flat());

/** A reply folded, without its punctuation: what stop words and numbers are read in. */
const bareOf = (reply: string) =>
  folded(reply)
    .replace(/[!?.¡¿,;:"'()]+/g, '')
    .trim();

/** Whether the whole reply asks to stop, in any language. */
export const isStop = (reply: string): boolean => STOPS.has(bareOf(reply));

/** Faces for a 1-to-5 satisfaction reply, from the angriest to the happiest. */
const FACES: ReadonlyArray<readonly [number, readonly string[]]> = [
  [1, ['😡', '😠', '🤬', '😤', '😭']],
  [2, ['🙁', '☹', '😞', '😟', '😕', '👎']],
  [3, ['😐', '😶', '😑', '🤷']],
  [4, ['🙂', '😊', '👍']],
  [5, ['😀', '😃', '😄', '😁', '😍', '🤩', '🥰', '❤', '💯']],
];

/** Words that are numbers in one language and something else in another: Portuguese "dos" is "of the". */
const NOT_A_NUMBER: Readonly<Record<Locale, ReadonlySet<string>>> = {
  en: new Set(),
  es: new Set(),
  pt: new Set(['dos']),
};

/**
 * The numbers of a reply, in order: its figures, or, when it has none, its number words ("10/10" and "9 de 10"
 * are one score each: the denominator is the scale's top).
 */
function numbersIn(text: string, max: number, locale: Locale): number[] {
  const withoutOutOf = text.replace(new RegExp(`(\\d+)\\s*(/|de|of|em)\\s*${max}\\b`, 'g'), '$1');
  // A minus sign counts ("-1" is off the scale, not a 1).
  const figures = (withoutOutOf.match(/-?\d+(?:[.,]\d+)?/g) ?? []).map((t) => Number(t.replace(',', '.')));
  if (figures.length > 0) return figures;
  return (withoutOutOf.match(/\p{L}+/gu) ?? [])
    .filter((w) => w in NUMBER_WORDS && !NOT_A_NUMBER[locale].has(w))
    .map((w) => NUMBER_WORDS[w] as number);
}

/**
 * Reads a reply to a score question. A score is the one whole number in the reply ("9", "un 9", "nueve", "10/10",
 * "9 de 10", "I'd say eight"), within the scale; on a face scale, the one face or the count of stars too. Two
 * numbers ("8 o 9"), none, or one off the scale are unclear. A reply that is only a stop word is a stop.
 */
export function readScore(reply: string, scale: ReplyScale, locale: Locale): Reading {
  if (isStop(reply)) return { kind: 'stop' };
  const bare = bareOf(reply);
  const numbers = numbersIn(bare, scale.max, locale);
  if (numbers.length === 1) {
    const [n] = numbers as [number];
    return Number.isInteger(n) && n >= scale.min && n <= scale.max
      ? { kind: 'score', score: n }
      : { kind: 'unclear' };
  }
  if (numbers.length > 1 || !scale.faces) return { kind: 'unclear' };
  const stars = [...reply].filter((c) => c === '⭐' || c === '★').length;
  if (stars > 0)
    return stars >= scale.min && stars <= scale.max ? { kind: 'score', score: stars } : { kind: 'unclear' };
  const faces = FACES.filter(([, marks]) => marks.some((m) => reply.includes(m))).map(([score]) => score);
  return faces.length === 1 ? { kind: 'score', score: faces[0] as number } : { kind: 'unclear' };
}

/** Reads a reply to an open question: its text, or a stop. An empty reply is unclear. */
export function readComment(reply: string): { kind: 'text'; text: string } | Reading {
  if (isStop(reply)) return { kind: 'stop' };
  const text = reply.trim();
  return text === '' ? { kind: 'unclear' } : { kind: 'text', text };
}
