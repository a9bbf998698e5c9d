import type { ResponseRecord } from '#capture/rules/response.ts';
import { dayOf } from '#kernel/days.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import { LOCALES, type Locale, type Survey, scoredQuestions } from '#kernel/survey.ts';
import type { CommentIndex, SentimentModelStore, TrainedModel } from '../ports.ts';
import { HELD_BACK, judge, type LearnedModel, sentimentOfScore, train } from '../rules/learned.ts';
import { commentsOf } from '../rules/responses.ts';
import type { Sentiment } from '../rules/sentiment.ts';
import { languageOf } from '../rules/text.ts';
import { walkComments } from './comment-walk.ts';

export interface TrainSentimentDeps {
  readonly surveys: SurveyStore;
  readonly comments: CommentIndex;
  readonly models: SentimentModelStore;
  readonly clock: Clock;
}

/** How far back the training reads, how many comments of a language it learns from, and how few are too few. */
export const TRAINING = { days: 180, perLanguage: 20_000, atLeast: 200, features: 20_000 } as const;

interface Labelled {
  readonly key: string;
  readonly text: string;
  readonly label: Sentiment;
}

/** A comment's label: the sentiment its survey's first scored answer stands for (the NPS first, as asked). */
function labelled(survey: Survey, r: ResponseRecord): Labelled | undefined {
  const text = commentsOf(survey, r.answers).join('\n\n');
  if (text.trim() === '') return undefined;
  const questions = [...scoredQuestions(survey)].sort(
    (a, b) => Number(b.type === 'nps') - Number(a.type === 'nps'),
  );
  for (const q of questions) {
    const score = r.answers[q.id];
    if (typeof score === 'number') return { key: r.submissionId, text, label: sentimentOfScore(q, score) };
  }
  return undefined;
}

/** A stable fifth of the comments, by their key, held back to judge the model. */
function heldBack(key: string): boolean {
  let h = 0;
  for (const c of key) h = (h * 31 + (c.codePointAt(0) ?? 0)) >>> 0;
  return h % HELD_BACK === 0;
}

/** The model with only its strongest features, so it fits one item. */
function pruned(model: LearnedModel, keep: number): LearnedModel {
  const entries = Object.entries(model.weights);
  if (entries.length <= keep) return model;
  const strength = ([, w]: (typeof entries)[number]) => Math.max(...w.map(Math.abs));
  entries.sort((a, b) => strength(b) - strength(a));
  return { ...model, weights: Object.fromEntries(entries.slice(0, keep)) };
}

export interface TrainingRun {
  readonly language: Locale;
  readonly comments: number;
  /** Trained and judged; `inUse` when it beat the baseline on the held-back comments. */
  readonly trained?: Pick<TrainedModel, 'baseline' | 'learned' | 'inUse'>;
}

/**
 * The scheduled training (decision 0025): per language, the deployment's comments of the last 180 days labelled
 * by their scores, newest first, at most 20,000; four fifths train a classifier, the fifth held back judges it
 * against the baseline; it is stored, and used from then on only if it beat the baseline there on binary
 * accuracy and macro-F1. A language with fewer than 200 labelled comments is not trained (its model, if any, stays).
 */
export async function trainSentiment(deps: TrainSentimentDeps): Promise<TrainingRun[]> {
  const now = deps.clock.now();
  const to = dayOf(now);
  const from = dayOf(new Date(now.getTime() - TRAINING.days * 86_400_000));
  const byLanguage = new Map<Locale, Labelled[]>(LOCALES.map((l) => [l, []]));
  for (const survey of await deps.surveys.list()) {
    const comments = walkComments(deps.comments, {
      surveyId: survey.id,
      from,
      to,
      limit: 500,
      keep: () => true,
      examine: 500,
    });
    for await (const r of comments) {
      const l = labelled(survey, r);
      if (!l) continue;
      const language = r.analysis?.language ?? languageOf(l.text, r.locale);
      const list = byLanguage.get(language);
      if (list && list.length < TRAINING.perLanguage) list.push(l);
      if ([...byLanguage.values()].every((l) => l.length >= TRAINING.perLanguage)) break;
    }
  }
  const runs: TrainingRun[] = [];
  for (const [language, comments] of byLanguage) {
    if (comments.length < TRAINING.atLeast) {
      runs.push({ language, comments: comments.length });
      continue;
    }
    const model = pruned(
      train(
        comments.filter((c) => !heldBack(c.key)),
        language,
      ),
      TRAINING.features,
    );
    const judgement = judge(
      model,
      comments.filter((c) => heldBack(c.key)),
    );
    const trained = {
      baseline: judgement.baseline,
      learned: judgement.learned,
      inUse: judgement.useLearned,
    };
    await deps.models.put({ language, model, trainedAt: now.toISOString(), ...trained });
    runs.push({ language, comments: comments.length, trained });
  }
  return runs;
}
