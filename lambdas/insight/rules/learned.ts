import { npsBand } from '#kernel/metrics.ts';
import { effortBand, type Locale, type ScoredQuestion } from '#kernel/survey.ts';
import { type Accuracy, accuracyOf } from './accuracy.ts';
import { baselineSentiment, SENTIMENTS, type Sentiment, type SentimentReading } from './sentiment.ts';
import { type Token, tokensOf } from './text.ts';

/**
 * A deployment's own sentiment classifier for one language, learned from its customers' comments labelled by the
 * score given with them: a multinomial logistic regression over the comment's stems, pairs of stems, stems under
 * a negation and the baseline's polarity. Small enough to keep in one item: only features seen at least twice.
 */
export interface LearnedModel {
  readonly language: Locale;
  /** Feature -> its weight for negative, neutral and positive. */
  readonly weights: Readonly<Record<string, readonly [number, number, number]>>;
  readonly bias: readonly [number, number, number];
  /** Comments it learned from. */
  readonly trainedOn: number;
}

/** The sentiment a score stands for: NPS 0-6, CSAT 1-2, high effort negative; 9-10, 4-5, low effort positive. */
export function sentimentOfScore(q: ScoredQuestion, score: number): Sentiment {
  switch (q.type) {
    case 'nps': {
      const band = npsBand(score);
      return band === 'detractor' ? 'negative' : band === 'passive' ? 'neutral' : 'positive';
    }
    case 'csat':
      return score <= 2 ? 'negative' : score === 3 ? 'neutral' : 'positive';
    case 'ces': {
      const band = effortBand(q, score);
      return band === 'high' ? 'negative' : band === 'neutral' ? 'neutral' : 'positive';
    }
  }
}

const NEGATORS = new Set(
  "not no never nothing without nunca jamas ni nada sin nao nem sem don't didn't doesn't isn't wasn't won't can't".split(
    ' ',
  ),
);
const BASELINE = '~baseline';

/** The features of a comment, each counted once. */
export function featuresOf(text: string, language: Locale): Map<string, number> {
  const features = new Map<string, number>();
  const tokens = tokensOf(text, language);
  let previous: string | undefined;
  let negated = 0;
  for (const t of tokens as Token[]) {
    if (t.kind === 'break') {
      previous = undefined;
      negated = 0;
      continue;
    }
    const stem = t.kind === 'word' ? t.stem : `:${t.emoji}`;
    const isNegator = t.kind === 'word' && NEGATORS.has(t.word);
    features.set(negated > 0 && !isNegator ? `!${stem}` : stem, 1);
    if (previous) features.set(`${previous} ${stem}`, 1);
    previous = stem;
    negated = isNegator ? 3 : Math.max(0, negated - 1);
  }
  features.set(BASELINE, baselineSentiment(text, language).polarity * 2);
  return features;
}

export interface TrainingOptions {
  readonly epochs?: number;
  readonly learningRate?: number;
  readonly l2?: number;
}

/**
 * Learns a model from labelled comments by AdaGrad over a few passes in a fixed order (the same comments give the
 * same model), each class weighted by the inverse of its share so a rare neutral class still counts.
 */
export function train(
  comments: ReadonlyArray<{ readonly text: string; readonly label: Sentiment }>,
  language: Locale,
  { epochs = 8, learningRate = 0.3, l2 = 1e-4 }: TrainingOptions = {},
): LearnedModel {
  const rows = comments.map((c) => ({ x: featuresOf(c.text, language), y: SENTIMENTS.indexOf(c.label) }));
  const seen = new Map<string, number>();
  for (const r of rows) for (const f of r.x.keys()) seen.set(f, (seen.get(f) ?? 0) + 1);
  const kept = (f: string) => f === BASELINE || (seen.get(f) ?? 0) >= 2;
  const share = SENTIMENTS.map((_, k) => rows.filter((r) => r.y === k).length / Math.max(1, rows.length));
  const classWeight = share.map((s) => (s > 0 ? 1 / (3 * s) : 0));
  const w = new Map<string, number[]>();
  const g = new Map<string, number[]>();
  const bias = [0, 0, 0];
  const gBias = [1e-8, 1e-8, 1e-8];
  /** AdaGrad's step for one weight of one class: its gradient's running square keeps the step small for common features. */
  const step = (weights: number[], sums: number[], k: number, grad: number) => {
    const sum = (sums[k] as number) + grad * grad;
    sums[k] = sum;
    weights[k] = (weights[k] as number) - (learningRate * grad) / Math.sqrt(sum);
  };
  const rowsKept = rows.map((r) => ({ x: [...r.x].filter(([f]) => kept(f)), y: r.y }));
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const r of rowsKept) {
      const p = softmax(scores(r.x, (f) => w.get(f), bias));
      for (let k = 0; k < 3; k++) {
        const err = ((p[k] as number) - (k === r.y ? 1 : 0)) * (classWeight[r.y] as number);
        step(bias, gBias, k, err);
        for (const [f, v] of r.x) {
          const wf = w.get(f) ?? (w.set(f, [0, 0, 0]).get(f) as number[]);
          const gf = g.get(f) ?? (g.set(f, [1e-8, 1e-8, 1e-8]).get(f) as number[]);
          step(wf, gf, k, err * v + l2 * (wf[k] as number));
        }
      }
    }
  }
  const weights: Record<string, [number, number, number]> = {};
  for (const [f, v] of w) {
    const r = v.map((x) => Math.round(x * 1e4) / 1e4) as [number, number, number];
    if (r.some((x) => x !== 0)) weights[f] = r;
  }
  return {
    language,
    weights,
    bias: bias.map((b) => Math.round(b * 1e4) / 1e4) as [number, number, number],
    trainedOn: rows.length,
  };
}

function scores(
  x: ReadonlyArray<readonly [string, number]>,
  weightsOf: (feature: string) => readonly number[] | undefined,
  bias: readonly number[],
) {
  const s = [...bias];
  for (const [f, v] of x) {
    const wf = weightsOf(f);
    if (wf) for (let k = 0; k < 3; k++) s[k] = (s[k] as number) + (wf[k] as number) * v;
  }
  return s;
}

function softmax(s: readonly number[]): number[] {
  const max = Math.max(...s);
  const e = s.map((x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** The learned reading: the likeliest class, its probability, and P(positive) - P(negative) as the polarity. */
export function learnedSentiment(model: LearnedModel, text: string): SentimentReading {
  const p = softmax(
    scores(
      [...featuresOf(text, model.language)],
      (f) => (Object.hasOwn(model.weights, f) ? model.weights[f] : undefined),
      model.bias,
    ),
  );
  const k = p.indexOf(Math.max(...p));
  const polarity = Math.round(((p[2] as number) - (p[0] as number)) * 1000) / 1000;
  return {
    sentiment: SENTIMENTS[k] as Sentiment,
    confidence: Math.round((p[k] as number) * 100) / 100,
    polarity,
  };
}

/** Share of a deployment's labelled comments held back to judge a trained model: one in five, by a stable key. */
export const HELD_BACK = 5;

/** The baseline and a trained model judged on the held-back comments, and whether the model is to be used. */
export interface Judgement {
  readonly baseline: Accuracy;
  readonly learned: Accuracy;
  /** Only once it beats the baseline on both binary accuracy and macro-F1. */
  readonly useLearned: boolean;
}

export function judge(
  model: LearnedModel,
  heldBack: ReadonlyArray<{ readonly text: string; readonly label: Sentiment }>,
): Judgement {
  const baseline = accuracyOf(
    heldBack.map((c) => ({ label: c.label, ...baselineSentiment(c.text, model.language) })),
  );
  const learned = accuracyOf(heldBack.map((c) => ({ label: c.label, ...learnedSentiment(model, c.text) })));
  return {
    baseline,
    learned,
    useLearned: heldBack.length > 0 && learned.binary > baseline.binary && learned.macroF1 > baseline.macroF1,
  };
}
