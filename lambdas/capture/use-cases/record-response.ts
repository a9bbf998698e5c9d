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
