import { eng, por, spa } from 'stopword';
import { fold } from '#kernel/fold.ts';
import type { Locale } from '#kernel/survey.ts';
import { type Token, tokensOf } from './text.ts';

/** Function words, folded, which start or end no phrase ("la fila", not "en la"); negations are kept. */
const STOPWORDS: Readonly<Record<Locale, ReadonlySet<string>>> = {
  en: new Set(eng.map((w) => fold(w))),
  es: new Set(spa.map((w) => fold(w))),
  pt: new Set(por.map((w) => fold(w))),
};

/**
 * A comment's candidate phrases: runs of two or three words within a clause that neither start nor end on a
 * function word, as written (folded), each once: "tarjeta rechazada", "app no abre", "la fila" is "fila" alone and
 * no phrase. Read the same way whichever analyzer read the comment, so windows compare like with like.
 */
export function phrasesOf(text: string, language: Locale): string[] {
  const stop = STOPWORDS[language];
  const clauses: string[][] = [[]];
  for (const t of tokensOf(text, language) as Token[]) {
    if (t.kind === 'word') (clauses.at(-1) as string[]).push(t.word);
    else if (t.kind === 'break') clauses.push([]);
  }
  const phrases = new Set<string>();
  const content = (w: string) => !stop.has(w) && w.length > 1 && !/^\d+$/.test(w);
  for (const words of clauses)
    for (let i = 0; i < words.length; i++)
      for (const n of [2, 3]) {
        const run = words.slice(i, i + n);
        if (run.length < n) continue;
        // A three-word run may hold a function word or a negation inside: "app no abre", "falta de stock".
        if (content(run[0] as string) && content(run.at(-1) as string)) phrases.add(run.join(' '));
      }
  return [...phrases];
}

/** A phrase that rose: its comments this window and in the one before, and how much more often it came up. */
export interface EmergingPhrase {
  readonly phrase: string;
  readonly comments: number;
  readonly previous: number;
  /** Its share of this window's comments over its share of the previous window's (smoothed: +1 each). */
  readonly rise: number;
}

/** Phrases need this many comments in the window to count as emerging, and to come up twice as often. */
export const EMERGING = { atLeast: 3, rise: 2, top: 10 } as const;

/**
 * The phrases that rise in a window against the window before: in at least 3 of this window's comments, and,
 * share for share, at least twice as often as before (with one comment added to each count, so a phrase new this
 * window needs its 3 comments to rise from nothing). A phrase inside a longer one that rose as much is left out.
 */
export function emergingPhrases(
  now: ReadonlyMap<string, number>,
  nowComments: number,
  before: ReadonlyMap<string, number>,
  beforeComments: number,
): EmergingPhrase[] {
  const rising: EmergingPhrase[] = [];
  for (const [phrase, comments] of now) {
    if (comments < EMERGING.atLeast) continue;
    const previous = before.get(phrase) ?? 0;
    const rise = (comments + 1) / (nowComments + 1) / ((previous + 1) / (beforeComments + 1));
    if (rise >= EMERGING.rise) rising.push({ phrase, comments, previous, rise: Math.round(rise * 10) / 10 });
  }
  const kept = rising.filter(
    (p) => !rising.some((q) => q !== p && q.phrase.includes(p.phrase) && q.comments >= p.comments),
  );
  return kept
    .sort((a, b) => b.rise * b.comments - a.rise * a.comments || a.phrase.localeCompare(b.phrase))
    .slice(0, EMERGING.top);
}

/** How many comments hold each phrase (a phrase counts once per comment). */
export function phraseCounts(comments: Iterable<readonly string[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const phrases of comments) for (const p of new Set(phrases)) counts.set(p, (counts.get(p) ?? 0) + 1);
  return counts;
}
