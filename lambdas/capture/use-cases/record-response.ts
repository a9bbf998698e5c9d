import { ConflictError, NotFoundError } from '#kernel/errors.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';
import type { CommentAnalyzer, ResponseStore } from '../ports.ts';
import { type BuildResponseInput, buildResponse, commentOf, type ResponseRecord } from '../rules/response.ts';

export interface RecordResponseDeps {
  readonly surveys: SurveyStore;
  readonly responses: ResponseStore;
  readonly analyzer: CommentAnalyzer;
  readonly clock: Clock;
  /** Told when a comment could not be read; the response is stored without its reading. */
  readonly onAnalysisError?: (err: unknown) => void;
}

/** What buildResponse takes, with the survey named by its id and the time read from the clock. */
export interface RecordResponseInput extends Omit<BuildResponseInput, 'survey' | 'now'> {
  readonly surveyId: string;
}

export interface RecordResponseResult {
  /** `duplicate`: the same submission was already stored; nothing new was stored or counted. */
  readonly status: 'created' | 'duplicate';
  readonly response: ResponseRecord;
  readonly survey: Survey;
}

export async function loadSurvey(surveys: SurveyStore, surveyId: string): Promise<Survey> {
  const survey = await surveys.get(surveyId);
  if (!survey) throw new NotFoundError(`There is no survey "${surveyId}".`);
  return survey;
}

/**
 * The response with its comment read, before it is stored: the reading is part of the response, written with it
 * once, so the aggregates count it exactly when they count the answers (docs/architecture.md). A submission that
 * comes a question at a time keeps the reading of its first comment. A reader that fails costs the reading only.
 */
async function analyzed(
  deps: RecordResponseDeps,
  survey: Survey,
  response: ResponseRecord,
): Promise<ResponseRecord> {
  const comment = commentOf(survey, response.answers);
  if (!comment) return response;
  try {
    const [reading] = await deps.analyzer.analyze([
      { text: comment.text, locale: response.locale, themes: survey.themes },
    ]);
    return reading ? { ...response, analysis: { ...reading, questions: [...comment.questions] } } : response;
  } catch (err) {
    deps.onAnalysisError?.(err);
    return response;
  }
}

/** Stores a response once per submission id, even when the same submission arrives twice at the same time. */
export async function recordResponse(
  deps: RecordResponseDeps,
  input: RecordResponseInput,
): Promise<RecordResponseResult> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const response = await analyzed(deps, survey, buildResponse({ ...input, survey, now: deps.clock.now() }));
  const result = await deps.responses.putIfAbsent(response, survey.retentionDays);
  if (result.created) return { status: 'created', response, survey };
  if (result.existing.contentHash !== response.contentHash) {
    throw new ConflictError(
      `Submission "${input.submissionId}" was already recorded with different answers; use a new submissionId.`,
    );
  }
  return { status: 'duplicate', response: result.existing, survey };
}

export interface RecordAnswersResult {
  /** `created`: this request added answers; `duplicate`: every answer it carries was stored already. */
  readonly status: 'created' | 'duplicate';
  /** The questions this request added. */
  readonly added: readonly string[];
  /** The submission as stored now: every answer it has so far. */
  readonly response: ResponseRecord;
  readonly survey: Survey;
}

/**
 * Stores answers that come one question at a time (an IVR call, a contact flow): each question of a submission
 * once, when it arrives, whether or not the rest ever comes. Required questions are not asked of such a channel.
 * The same answer again is a repeat; another answer to a question already answered is a conflict.
 */
export async function recordAnswers(
  deps: RecordResponseDeps,
  input: RecordResponseInput,
): Promise<RecordAnswersResult> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const part = await analyzed(
    deps,
    survey,
    buildResponse({ ...input, survey, now: deps.clock.now(), complete: false }),
  );
  const result = await deps.responses.addAnswers(part, survey.retentionDays);
  if (result.status === 'conflict') {
    throw new ConflictError(
      `Submission "${input.submissionId}" already has another answer to ${result.questions.map((q) => `"${q}"`).join(', ')}; an answer is kept as first given.`,
    );
  }
  return result.status === 'added'
    ? { status: 'created', added: result.added, response: result.response, survey }
    : { status: 'duplicate', added: [], response: result.response, survey };
}
