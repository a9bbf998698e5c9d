import { ConflictError, NotFoundError } from '#kernel/errors.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import type { Locale, Survey } from '#kernel/survey.ts';
import type { ResponseStore } from '../ports.ts';
import { buildResponse, type CaptureChannel, type ResponseRecord } from '../rules/response.ts';

export interface RecordResponseDeps {
  readonly surveys: SurveyStore;
  readonly responses: ResponseStore;
  readonly clock: Clock;
}

export interface RecordResponseInput {
  readonly surveyId: string;
  readonly submissionId: string;
  readonly answers: Readonly<Record<string, unknown>>;
  readonly attributes: Readonly<Record<string, string>>;
  readonly locale?: Locale | undefined;
  readonly capturedVia: CaptureChannel;
  /** Set when the response came through an invitation of this campaign. */
  readonly campaignId?: string | undefined;
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
