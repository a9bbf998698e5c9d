/** How an aggregate item's counters are named: `<family>#<integer>`, a histogram per family. */

/** Counter name of one score of one question, e.g. `nps#9`. */
export const counterName = (questionId: string, score: number) => `${questionId}#${score}`;

export function parseCounterName(name: string): { questionId: string; score: number } | null {
  const hash = name.lastIndexOf('#');
  if (hash <= 0) return null;
  const score = Number(name.slice(hash + 1));
  return Number.isInteger(score) ? { questionId: name.slice(0, hash), score } : null;
}

/** Counters of one day of one segment, as stored. */
export interface DayCounters {
  readonly day: string;
  readonly counters: Readonly<Record<string, number>>;
}
