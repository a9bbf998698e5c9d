/**
 * Comment sentiment against public labelled data (../shared/datasets/sentiment, for measuring only: never copied
 * here). Per file: the baseline's binary accuracy and 3-class macro-F1. `tsx bench/sentiment.ts` runs it alone.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Accuracy, accuracyOf, type Scored } from '#insight/rules/accuracy.ts';
import { learnedSentiment, train } from '#insight/rules/learned.ts';
import { baselineSentiment, type Sentiment } from '#insight/rules/sentiment.ts';
import type { Locale } from '#kernel/survey.ts';

/** The memory the comment analysis runs with, for its cost per comment. */
export const ANALYSIS_MB = 512;

export const DATASETS = join(import.meta.dirname, '..', '..', 'shared', 'datasets', 'sentiment');

export interface Labelled {
  readonly text: string;
  readonly label: Sentiment;
  readonly score?: number;
}

export interface DatasetFile {
  readonly name: string;
  readonly language: Locale;
  readonly rows: readonly Labelled[];
}

/** The labelled files, when this machine has them. */
export function datasetFiles(dir = DATASETS): DatasetFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.dev\.jsonl$|\.jsonl$/, ''),
      language: f.slice(0, 2) as Locale,
      rows: readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Labelled),
    }));
}

export interface SentimentFigures {
  readonly file: string;
  readonly language: Locale;
  readonly baseline: Accuracy;
  /** Milliseconds to read one comment, baseline and learned, and to learn from 1,000 comments. */
  readonly baselineMs: number;
  readonly learnedMs: number;
  readonly trainMsPer1000: number;
  /** Trained on four fifths, read on the fifth left out, five times over: never on a row it trained on. */
  readonly learned: Accuracy;
}

const FOLDS = 5;

/** The label a deployment would train on: the star score's (1-2, 3, 4-5) where there is one, else the file's. */
const trainingLabel = (r: Labelled): Sentiment =>
  r.score === undefined ? r.label : r.score <= 2 ? 'negative' : r.score === 3 ? 'neutral' : 'positive';

export function measureSentiment(files = datasetFiles()): SentimentFigures[] {
  return files.map((f) => {
    const learned: Scored[] = [];
    let trainMs = 0;
    let trained = 0;
    let learnedMs = 0;
    for (let fold = 0; fold < FOLDS; fold++) {
      const rows = f.rows
        .filter((_, i) => i % FOLDS !== fold)
        .map((r) => ({ text: r.text, label: trainingLabel(r) }));
      const started = performance.now();
      const model = train(rows, f.language);
      trainMs += performance.now() - started;
      trained += rows.length;
      const reading = performance.now();
      for (const r of f.rows.filter((_, i) => i % FOLDS === fold))
        learned.push({ label: r.label, ...learnedSentiment(model, r.text) });
      learnedMs += performance.now() - reading;
    }
    const started = performance.now();
    const baseline = f.rows.map((r) => ({ label: r.label, ...baselineSentiment(r.text, f.language) }));
    const baselineMs = (performance.now() - started) / f.rows.length;
    return {
      file: f.name,
      language: f.language,
      baseline: accuracyOf(baseline),
      learned: accuracyOf(learned),
      baselineMs,
      learnedMs: learnedMs / f.rows.length,
      trainMsPer1000: (trainMs / trained) * 1000,
    };
  });
}

if (process.argv[1] === import.meta.filename) {
  for (const m of measureSentiment())
    console.log(
      `${m.file.padEnd(12)} n=${m.baseline.comments} baseline ${m.baseline.binary.toFixed(3)} / ${m.baseline.macroF1.toFixed(3)}  learned ${m.learned.binary.toFixed(3)} / ${m.learned.macroF1.toFixed(3)}  ${m.baselineMs.toFixed(3)} / ${m.learnedMs.toFixed(3)} ms  train ${m.trainMsPer1000.toFixed(0)} ms per 1000`,
    );
}
