import type { CaseStore, Clock } from '#ports/index.ts';
import { parseInvitationId } from './campaigns.ts';
import { updateCase } from './case-updates.ts';
import type { Case, CaseEvent } from './cases.ts';
import { ConflictError, ForbiddenError, ValidationError } from './errors.ts';

/**
 * Recovery: after a case is resolved, the customer may get one question about how it was handled (a
 * CSAT-style 1-5 scale); a 4 or 5 counts the customer as recovered. The follow-up goes out only to a customer
 * Pulso can reach (the answer came through an invitation, the contact exists and is not suppressed) and only if
 * the fatigue rule allows it: nobody else surveyed the customer since (the fatigue claim is free, or still the
 * one of the invitation they answered). One follow-up per case, ever.
 *
 * scheduled (due after the delay) -> queued (the sweep put it on the campaign queue) -> sending (leased) -> sent
 * -> answered; or skipped (with the reason), failed (the provider refused it), unknown (a sender died while
 * sending: it is never sent again), cancelled (the case was reopened before it went out).
 */
export type RecoveryStatus =
  | 'scheduled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'answered'
  | 'skipped'
  | 'failed'
  | 'unknown'
  | 'cancelled';

/** Why a follow-up was not sent. */
export type SkipReason =
  | 'no-contact'
  | 'contact-erased'
  | 'no-address'
  | 'unsubscribed'
  | 'bounced'
  | 'complained'
  | 'resting';

export const SKIP_REASONS: Record<SkipReason, string> = {
  'no-contact': 'the answer did not come through an invitation, so there is no one to write to',
  'contact-erased': 'the contact was erased',
  'no-address': 'the contact has no address on the invitation channel any more',
  unsubscribed: 'the customer unsubscribed',
  bounced: "the customer's address bounced",
  complained: 'the customer marked a message as spam',
  resting: 'another survey reached the customer since (fatigue rule)',
};

export interface Recovery {
  readonly status: RecoveryStatus;
  /** Who asked for it (the person resolving) and when. */
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** When it goes out (scheduled). */
  readonly dueAt?: string;
  readonly queuedAt?: string;
  /** A send that is not finished by then died half way (sending). */
  readonly leaseUntil?: string;
  readonly channel?: 'email' | 'sms';
  readonly sentAt?: string;
  /** SES events of the follow-up email (see delivery-events.ts). */
  readonly deliveredAt?: string;
  readonly bouncedAt?: string;
  readonly complainedAt?: string;
  readonly reason?: SkipReason | string;
  readonly answeredAt?: string;
  /** 1 (very unsatisfied) to 5 (very satisfied). */
  readonly score?: number;
  /** A 4 or a 5. */
  readonly recovered?: boolean;
  /** When the case's owner was told that the customer is not recovered (by the sweep). */
  readonly ownerToldAt?: string;
}

/** An answer of 1 to 3 that the case's owner has not been told of yet: due for the sweep from its answer. */
export const ownerToTell = (r: Recovery | undefined): string | undefined =>
  r?.status === 'answered' && r.recovered === false && !r.ownerToldAt ? r.answeredAt : undefined;

/** Name of the follow-up link key in the SigningKeyStore: not the acknowledge links' key, so neither opens the other. */
export const FOLLOW_UP_KEY = 'follow-ups';
/** The follow-up link works for two weeks. */
export const FOLLOW_UP_DAYS = 14;
/** The question's field on the follow-up page. */
export const FOLLOW_UP_FIELD = 'recovery';

export const isRecovered = (score: number) => score >= 4;

/** The invitation a case's answer came through (its submission id is `inv.<campaign>.<contact>`). */
export function invitationOfCase(c: Case): { campaignId: string; contactId: string } | null {
  return c.submissionId.startsWith('inv.') ? parseInvitationId(c.submissionId.slice(4)) : null;
}

export const followUpEvent = (at: string, by: string, note: string): CaseEvent => ({
  at,
  by,
  action: 'follow-up',
  note,
});

/**
 * The recovery a resolution asks for: scheduled after `delayHours`, or skipped at once when the answer did not come
 * through an invitation. A case keeps the follow-up it had (one per case), unless it was cancelled by a reopen.
 */
export function requestFollowUp(c: Case, by: string, delayHours: number, now: Date): Case {
  if (c.recovery && c.recovery.status !== 'cancelled') return c;
  const at = now.toISOString();
  const base = { requestedBy: by, requestedAt: at };
  if (!invitationOfCase(c)) {
    return {
      ...c,
      recovery: { ...base, status: 'skipped', reason: 'no-contact' },
      history: [
        ...c.history,
        followUpEvent(at, 'pulso', `follow-up not sent: ${SKIP_REASONS['no-contact']}`),
      ],
    };
  }
  const dueAt = new Date(now.getTime() + delayHours * 3_600_000).toISOString();
  return {
    ...c,
    recovery: { ...base, status: 'scheduled', dueAt },
    history: [...c.history, followUpEvent(at, by, `follow-up to the customer scheduled for ${dueAt}`)],
  };
}

/** A reopened case does not ask the customer how its resolution went: a follow-up not yet sent is cancelled. */
export function cancelFollowUp(c: Case, now: Date): Case {
  if (c.recovery?.status !== 'scheduled' && c.recovery?.status !== 'queued') return c;
  const { dueAt: _d, ...recovery } = c.recovery;
  return {
    ...c,
    recovery: { ...recovery, status: 'cancelled' },
    history: [
      ...c.history,
      followUpEvent(now.toISOString(), 'pulso', 'follow-up cancelled: the case was reopened'),
    ],
  };
}

/** The customer's one answer: recorded once; a second answer changes nothing (ConflictError). */
export async function answerFollowUp(
  deps: { readonly cases: CaseStore; readonly clock: Clock },
  caseId: string,
  rawScore: string | undefined,
): Promise<Case> {
  const score = Number(rawScore);
  if (rawScore === undefined || rawScore === '')
    throw new ValidationError('Choose an answer.', [
      { field: FOLLOW_UP_FIELD, code: 'required', message: 'choose 1 to 5' },
    ]);
  if (!Number.isInteger(score) || score < 1 || score > 5)
    throw new ValidationError('Choose one of the options.', [
      { field: FOLLOW_UP_FIELD, code: 'out_of_range', message: 'choose 1 to 5' },
    ]);
  const now = deps.clock.now().toISOString();
  let answered = false;
  const saved = await updateCase(deps.cases, caseId, (c) => {
    const r = c.recovery;
    if (r?.status === 'answered') {
      answered = true;
      return null;
    }
    // A sender that died after sending leaves `unknown` (or, until the sweep looks, `sending`): it went out.
    if (r?.status !== 'sent' && r?.status !== 'unknown' && r?.status !== 'sending') return null;
    const recovered = isRecovered(score);
    return {
      ...c,
      recovery: { ...r, status: 'answered', answeredAt: now, score, recovered },
      history: [
        ...c.history,
        followUpEvent(
          now,
          'customer',
          `follow-up answered: ${score} of 5 (${recovered ? 'recovered' : 'not recovered'})`,
        ),
      ],
    };
  });
  if (answered) throw new ConflictError('This follow-up was answered already.');
  if (!saved) throw new ForbiddenError('There is no follow-up to answer for this case.');
  return saved;
}
