import { SENTIMENTS, type Sentiment } from './sentiment.ts';

/** A reading to score against a known label: the sentiment read, and its lean (polarity or P(pos) - P(neg)). */
export interface Scored {
  readonly label: Sentiment;
  readonly sentiment: Sentiment;
  readonly polarity: number;
}

/**
 * How well readings match their labels. `binary` is the share of negative and positive comments whose lean
 * points the right way (neutral ones left out, a lean of 0 read as positive); `macroF1` the mean of the three
 * classes' F1 (a class with no comment and no reading left out).
 */
export interface Accuracy {
  readonly comments: number;
  readonly binary: number;
  readonly macroF1: number;
}

export function accuracyOf(scored: readonly Scored[]): Accuracy {
  const polar = scored.filter((s) => s.label !== 'neutral');
  const right = polar.filter((s) => (s.polarity < 0 ? 'negative' : 'positive') === s.label).length;
  const f1s: number[] = [];
  for (const c of SENTIMENTS) {
    const tp = scored.filter((s) => s.label === c && s.sentiment === c).length;
    const labelled = scored.filter((s) => s.label === c).length;
    const read = scored.filter((s) => s.sentiment === c).length;
    if (labelled === 0 && read === 0) continue;
    f1s.push(labelled + read === 0 ? 0 : (2 * tp) / (labelled + read));
  }
  return {
    comments: scored.length,
    binary: polar.length === 0 ? 0 : right / polar.length,
    macroF1: f1s.length === 0 ? 0 : f1s.reduce((a, b) => a + b, 0) / f1s.length,
  };
}
