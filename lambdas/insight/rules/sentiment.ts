import type { Sentiment } from '#kernel/analysis.ts';
import { fold } from '#kernel/fold.ts';
import type { Locale } from '#kernel/survey.ts';
import { EMOJI, LEXICONS, type Lexicon } from './lexicon.ts';
import { stemOf, type Token, tokensOf, undiminished } from './text.ts';

export { SENTIMENTS, type Sentiment } from '#kernel/analysis.ts';

/** What a comment says: its sentiment with how sure the reading is (0.5 to 1), and its polarity, -1 to 1. */
export interface SentimentReading {
  readonly sentiment: Sentiment;
  readonly confidence: number;
  readonly polarity: number;
}

/** A polarity at least this far from 0 is positive or negative; nearer, neutral. */
export const NEUTRAL_BAND = 0.2;
/** How much a negation keeps of a word's weight, turned around: "not bad" is less good than "good" (VADER's). */
const NEGATED = -0.74;
const STRONGER = 1.5;
const WEAKER = 0.5;
/** How many words after a negation it reaches: "no me gustó", "não foi nada bom". */
const NEGATION_REACH = 3;
/** A polarity's softness: a total weight of 4 is 0.72, of 8 is 0.9 (VADER's normalisation). */
const ALPHA = 15;

type Role =
  | { readonly kind: 'weight'; readonly weight: number; readonly negated?: boolean }
  | { readonly kind: 'negator' | 'intensifier' | 'diminisher' | 'contrast' | 'either' | 'none' };

interface Compiled {
  readonly exact: ReadonlyMap<string, Role>;
  readonly stems: ReadonlyMap<string, Role>;
  /** Phrases by their first stem, longest first. */
  readonly phrases: ReadonlyMap<
    string,
    ReadonlyArray<{ readonly stems: readonly string[]; readonly role: Role }>
  >;
}

/** A list of function words: words separated by spaces, then phrases separated by commas ("a b c, d e, f g"). */
const listed = (list: string) => {
  const [first = '', ...phrases] = list.split(',');
  return { words: first.split(/\s+/).filter(Boolean), phrases: phrases.map((p) => p.trim()).filter(Boolean) };
};

function compile(lexicon: Lexicon, language: Locale): Compiled {
  const exact = new Map<string, Role>();
  const stems = new Map<string, Role>();
  const phrases = new Map<string, { stems: string[]; role: Role }[]>();
  const stemsOf = (phrase: string) =>
    fold(phrase)
      .split(/\s+/)
      .map((w) => stemOf(w, language));
  const addPhrase = (phrase: string, role: Role) => {
    const s = stemsOf(phrase);
    const first = s[0] ?? '';
    phrases.set(
      first,
      [...(phrases.get(first) ?? []), { stems: s, role }].sort((a, b) => b.stems.length - a.stems.length),
    );
  };
  for (const [weight, list] of Object.entries(lexicon.words))
    for (const entry of list.split(/\s+/).filter(Boolean)) {
      const role: Role = { kind: 'weight', weight: Number(weight) };
      if (entry.startsWith('=')) exact.set(fold(entry.slice(1)), role);
      else stems.set(stemOf(fold(entry), language), role);
    }
  const negation = /^(no|not|nao|never|nunca|nobody|nothing)$|n't$/;
  for (const [phrase, weight] of Object.entries(lexicon.phrases)) {
    const negated = fold(phrase)
      .split(' ')
      .some((w) => negation.test(w));
    addPhrase(phrase, weight === 0 ? { kind: 'none' } : { kind: 'weight', weight, negated });
  }
  // Function words match as written, never by stem: "nada" is not "nadar".
  const roles = [
    ['negator', lexicon.negators],
    ['intensifier', lexicon.intensifiers],
    ['diminisher', lexicon.diminishers],
    ['contrast', lexicon.contrasts],
    ['either', lexicon.either ?? ''],
  ] as const;
  for (const [kind, list] of roles) {
    const { words, phrases } = listed(list);
    for (const w of words) exact.set(fold(w.replace(/^=/, '')), { kind });
    for (const phrase of phrases) addPhrase(phrase, { kind });
  }
  return { exact, stems, phrases };
}

const COMPILED: Readonly<Record<Locale, Compiled>> = {
  en: compile(LEXICONS.en, 'en'),
  es: compile(LEXICONS.es, 'es'),
  pt: compile(LEXICONS.pt, 'pt'),
};

/** Whether a word, as written (folded), turns the next words around in the language: "no", "não", "never". */
export const isNegator = (word: string, language: Locale) =>
  COMPILED[language].exact.get(word)?.kind === 'negator';

type Unit =
  | { readonly kind: 'break'; readonly sentence: boolean; readonly exclaims: number }
  | { readonly kind: 'word'; readonly role: Role; readonly shouted: boolean };

/** The comment as roles: phrases first (longest), then each word as written, then by its stem. */
function unitsOf(tokens: readonly Token[], language: Locale): Unit[] {
  const lexicon = COMPILED[language];
  const units: Unit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'break') {
      units.push({ kind: 'break', sentence: t.exclaims > 0 || !t.comma, exclaims: t.exclaims });
      continue;
    }
    if (t.kind === 'emoji') {
      const weight = EMOJI[t.emoji] ?? 0;
      units.push({
        kind: 'word',
        role: weight ? { kind: 'weight', weight, negated: true } : { kind: 'none' },
        shouted: false,
      });
      continue;
    }
    const phrase = lexicon.phrases.get(t.stem)?.find((p) =>
      p.stems.every((s, k) => {
        const u = tokens[i + k];
        return u?.kind === 'word' && u.stem === s;
      }),
    );
    if (phrase) {
      units.push({ kind: 'word', role: phrase.role, shouted: false });
      i += phrase.stems.length - 1;
      continue;
    }
    const base = undiminished(t.word, language);
    const role = lexicon.exact.get(t.word) ??
      lexicon.stems.get(t.stem) ??
      (base ? (lexicon.exact.get(base) ?? lexicon.stems.get(stemOf(base, language))) : undefined) ?? {
        kind: 'none',
      };
    units.push({ kind: 'word', role, shouted: t.shouted });
  }
  return units;
}

/**
 * The baseline reading of a comment in its language: each weighed word or phrase counts, turned around by a
 * negation within three words ("no me gustó", "não foi ruim", "nada mal"), stronger after an intensifier ("muy
 * amable"), weaker after a diminisher ("un poco lento"), stronger in capitals and before exclamation marks; in a
 * sentence with "but" ("pero", "mas"), what comes after it counts three times what came before (VADER's rule).
 */
export function baselineSentiment(text: string, language: Locale): SentimentReading {
  const units = unitsOf(tokensOf(text, language), language);
  let total = 0;
  let evidence = 0;
  let sentence: number[] = [];
  let contrastAt = -1;
  let negationLeft = 0;
  let scale = 1;
  let scaleLeft = 0;
  const close = (exclaims: number) => {
    let sum = sentence.reduce(
      (s, v, k) => s + (contrastAt < 0 ? v : k < contrastAt ? v * WEAKER : v * STRONGER),
      0,
    );
    sum *= 1 + 0.1 * Math.min(exclaims, 3);
    total += sum;
    sentence = [];
    contrastAt = -1;
  };
  for (let i = 0; i < units.length; i++) {
    const u = units[i] as Unit;
    if (u.kind === 'break') {
      negationLeft = 0;
      scaleLeft = 0;
      if (u.sentence) close(u.exclaims);
      continue;
    }
    let role = u.role;
    if (role.kind === 'either') {
      const next = units[i + 1];
      role =
        next?.kind === 'word' && next.role.kind === 'weight'
          ? { kind: 'intensifier' }
          : { kind: 'weight', weight: 1.5 };
    }
    if (role.kind === 'negator') negationLeft = NEGATION_REACH + 1;
    else if (role.kind === 'intensifier' || role.kind === 'diminisher') {
      scale = role.kind === 'intensifier' ? STRONGER : WEAKER;
      scaleLeft = 3;
    } else if (role.kind === 'contrast') {
      contrastAt = sentence.length;
      negationLeft = 0;
    } else if (role.kind === 'weight') {
      let v = role.weight * (scaleLeft > 0 ? scale : 1) * (u.shouted ? 1.25 : 1);
      // A negation turns around the first weighed word it reaches, and no more: "nunca tive problemas, boa loja".
      if (negationLeft > 0 && !role.negated) {
        v *= NEGATED;
        negationLeft = 0;
      }
      sentence.push(v);
      evidence++;
      scaleLeft = 0;
    }
    negationLeft = Math.max(0, negationLeft - 1);
    scaleLeft = Math.max(0, scaleLeft - 1);
  }
  close(0);
  const polarity = total / Math.sqrt(total * total + ALPHA);
  return readingOf(polarity, evidence > 0);
}

function readingOf(polarity: number, anyEvidence: boolean): SentimentReading {
  const p = Math.round(polarity * 1000) / 1000;
  if (!anyEvidence) return { sentiment: 'neutral', confidence: 0.5, polarity: 0 };
  if (Math.abs(p) < NEUTRAL_BAND)
    return { sentiment: 'neutral', confidence: round(1 - (Math.abs(p) / NEUTRAL_BAND) * 0.5), polarity: p };
  return {
    sentiment: p > 0 ? 'positive' : 'negative',
    confidence: round(0.5 + Math.abs(p) / 2),
    polarity: p,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
