import { ConflictError, RateLimitedError } from '#kernel/errors.ts';
import type { SigningKeyStore } from '#kernel/ports.ts';
import type { RateCounterStore } from '../ports.ts';
import { type RateCounter, rateCountersFor, submissionTag } from '../rules/rate-limit.ts';
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
 * Counting: each counter is checked and counted in one conditional write before the response is stored, and
 * remembers the submission, so concurrent posts cannot overshoot a limit and a double tap or a retry of the same
 * submission is neither counted twice nor refused. A post that creates no response (a repeat, a conflict) gives
 * back what it counted. Over a limit, nothing is stored and nothing stays counted.
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

  const counters = rateCountersFor(await deps.signingKeys.get(RATE_SALT_KEY), {
    surveyId: survey.id,
    policy: survey.rateLimit,
    deviceId: input.client.deviceId,
    sourceIp: input.client.sourceIp,
    now,
  });
  const tag = submissionTag(input.submissionId);
  const counted = await admit(deps.rateCounters, counters, tag, now);
  let result: RecordResponseResult;
  try {
    result = await recordResponse(deps, record);
  } catch (err) {
    if (err instanceof ConflictError) await release(deps.rateCounters, counted, tag);
    throw err;
  }
  if (result.status === 'duplicate') await release(deps.rateCounters, counted, tag);
  return result;
}

/** Hits every counter in order; at the first one over its limit, gives back the others and refuses. */
async function admit(
  store: RateCounterStore,
  counters: readonly RateCounter[],
  tag: string,
  now: Date,
): Promise<RateCounter[]> {
  const counted: RateCounter[] = [];
  for (const counter of counters) {
    const outcome = await store.hit(counter, tag);
    if (outcome === 'counted') counted.push(counter);
    if (outcome === 'limited') {
      await release(store, counted, tag);
      throw new RateLimitedError(
        `Over the limit of ${counter.limit} responses per ${counter.kind} to survey "${counter.surveyId}" in this window.`,
        Math.max(1, counter.expiresAt - Math.floor(now.getTime() / 1000)),
      );
    }
  }
  return counted;
}

async function release(store: RateCounterStore, counted: readonly RateCounter[], tag: string) {
  for (const counter of counted) await store.release(counter, tag);
}
