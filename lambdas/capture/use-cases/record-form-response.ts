import { ConflictError, RateLimitedError } from '#kernel/errors.ts';
import type { SigningKeyStore } from '#kernel/ports.ts';
import type { RateCounterStore } from '../ports.ts';
import { rateAdmissionFor, submissionTag } from '../rules/rate-limit.ts';
import { buildResponse } from '../rules/response.ts';
import {
  loadSurvey,
  type RecordResponseDeps,
  type RecordResponseInput,
  type RecordResponseResult,
  recordResponse,
} from './record-response.ts';
import { checkSurveyLink } from './survey-links.ts';

/** Name of the salt of device and address hashes in the SigningKeyStore. */
export const RATE_SALT_KEY = 'rate-limit';

export interface RecordFormResponseDeps extends RecordResponseDeps {
  readonly signingKeys: SigningKeyStore;
  readonly rateCounters: RateCounterStore;
}

export interface FormPost extends Omit<RecordResponseInput, 'capturedVia'> {
  /** The link's signature, sent back by the page as a hidden field. */
  readonly sig?: string | undefined;
  /** Who posts, for the rate limits: the device cookie, if any, and the network address. */
  readonly client: { readonly deviceId?: string | undefined; readonly sourceIp: string };
}

/**
 * The survey page's form post: the link's attributes are verified again (hidden fields are as easy to edit as
 * a link), the answers validated, the post admitted by the survey's rate limits, then recorded once per
 * submission id.
 *
 * Counting: the address's count and the device's count on it are checked and counted in one conditional write
 * before the response is stored, and the counter remembers the submission, so concurrent posts cannot overshoot a
 * limit and a double tap or a retry of the same submission is neither counted twice nor refused. A post that
 * creates no response (a repeat, a conflict) gives back what it counted. Over a limit, nothing is stored and
 * nothing is counted.
 */
export async function recordFormResponse(
  deps: RecordFormResponseDeps,
  input: FormPost,
): Promise<RecordResponseResult> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  await checkSurveyLink(deps.signingKeys, survey, input.attributes, input.sig);
  const record: RecordResponseInput = {
    surveyId: input.surveyId,
    submissionId: input.submissionId,
    answers: input.answers,
    attributes: input.attributes,
    locale: input.locale,
    capturedVia: 'web',
  };
  const now = deps.clock.now();
  // Answers that do not fit the survey are refused before anything is counted.
  buildResponse({ ...record, survey, now });

  const admission = rateAdmissionFor(await deps.signingKeys.get(RATE_SALT_KEY), {
    surveyId: survey.id,
    policy: survey.rateLimit,
    deviceId: input.client.deviceId,
    sourceIp: input.client.sourceIp,
    now,
  });
  const tag = submissionTag(input.submissionId);
  const hit = await deps.rateCounters.hit(admission, tag);
  if (hit.status === 'limited') {
    const limit = hit.limit === 'device' ? admission.perDevice : admission.perAddress;
    throw new RateLimitedError(
      `Over the limit of ${limit} responses per ${hit.limit} to survey "${survey.id}" in this window.`,
      Math.max(1, admission.expiresAt - Math.floor(now.getTime() / 1000)),
    );
  }
  const release = async () => {
    if (hit.status === 'counted') await deps.rateCounters.release(admission, tag);
  };
  let result: RecordResponseResult;
  try {
    result = await recordResponse(deps, record);
  } catch (err) {
    if (err instanceof ConflictError) await release();
    throw err;
  }
  if (result.status === 'duplicate') await release();
  return result;
}
