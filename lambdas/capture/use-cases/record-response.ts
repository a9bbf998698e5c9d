import { ConflictError, NotFoundError } from '#kernel/errors.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';
import type { ResponseStore } from '../ports.ts';
import { type BuildResponseInput, buildResponse, type ResponseRecord } from '../rules/response.ts';

export interface RecordResponseDeps {
  readonly surveys: SurveyStore;
  readonly responses: ResponseStore;
  readonly clock: Clock;
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

/** Stores a response once per submission id, even when the same submission arrives twice at the same time. */
export async function recordResponse(
  deps: RecordResponseDeps,
  input: RecordResponseInput,
): Promise<RecordResponseResult> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const response = buildResponse({ ...input, survey, now: deps.clock.now() });
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
  const part = buildResponse({ ...input, survey, now: deps.clock.now(), complete: false });
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
