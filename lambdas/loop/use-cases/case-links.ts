import { ConflictError, InvalidStateError, ValidationError } from '#kernel/errors.ts';
import type { Clock, SigningKeyStore } from '#kernel/ports.ts';
import type { CaseStore } from '../ports.ts';
import { CASE_LINK_KEY, caseLinkClaims } from '../rules/case-links.ts';
import { FOLLOW_UP_KEY } from '../rules/recovery.ts';
import { answerFollowUp } from './answer-follow-up.ts';
import { acknowledgeCase } from './case-actions.ts';

export interface CaseLinkDeps {
  readonly cases: CaseStore;
  readonly signingKeys: SigningKeyStore;
  readonly clock: Clock;
}

/** GET of a follow-up link: the token checked, then whether the customer answered already. */
export async function openFollowUp(deps: CaseLinkDeps, caseId: string, token: string) {
  caseLinkClaims(await deps.signingKeys.get(FOLLOW_UP_KEY), token, caseId, deps.clock.now());
  const c = await deps.cases.get(caseId);
  return c?.recovery?.status === 'answered' ? ('answered' as const) : ('open' as const);
}

export type FollowUpOutcome =
  | { readonly status: 'thanks'; readonly recovered: boolean }
  /** Answered already (a second tap, another device): nothing changed. */
  | { readonly status: 'answered' }
  /** The answer is missing or out of range: the page again, with the error's code. */
  | { readonly status: 'invalid'; readonly code: string };

/** POST of a follow-up link: the token checked, then the answer recorded once. */
export async function submitFollowUp(
  deps: CaseLinkDeps,
  caseId: string,
  token: string,
  value: string | undefined,
): Promise<FollowUpOutcome> {
  caseLinkClaims(await deps.signingKeys.get(FOLLOW_UP_KEY), token, caseId, deps.clock.now());
  try {
    const answered = await answerFollowUp(deps, caseId, value);
    return { status: 'thanks', recovered: answered.recovery?.recovered === true };
  } catch (err) {
    if (err instanceof ConflictError) return { status: 'answered' };
    if (err instanceof ValidationError) return { status: 'invalid', code: err.errors[0]?.code ?? 'default' };
    throw err;
  }
}

const EXPIRED_ACK = 'This link has expired; acknowledge the case in Pulso.';

/** GET of an acknowledge link: only the token is checked (mail scanners follow links). */
export async function checkAcknowledgeLink(deps: CaseLinkDeps, caseId: string, token: string) {
  return caseLinkClaims(
    await deps.signingKeys.get(CASE_LINK_KEY),
    token,
    caseId,
    deps.clock.now(),
    EXPIRED_ACK,
  );
}

/**
 * POST of an acknowledge link: acknowledges in the name of the person the link was sent to. `changed: false` when
 * it was acknowledged already (by this link, the API, or someone else): nothing changed.
 */
export async function acknowledgeByLink(deps: CaseLinkDeps, caseId: string, token: string) {
  const claims = await checkAcknowledgeLink(deps, caseId, token);
  try {
    await acknowledgeCase(deps, caseId, `${claims.actor} (email link)`);
    return { changed: true };
  } catch (err) {
    if (err instanceof InvalidStateError) return { changed: false };
    throw err;
  }
}
