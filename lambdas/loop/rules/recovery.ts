import { parseInvitationId } from '#invitations/rules/campaigns.ts';
import type { Case, CaseEvent, Recovery, SkipReason } from './case.ts';

export const SKIP_REASONS: Record<SkipReason, string> = {
  'no-contact': 'the answer did not come through an invitation, so there is no one to write to',
  'contact-erased': 'the contact was erased',
  'no-address': 'the contact has no address on the invitation channel any more',
  unsubscribed: 'the customer unsubscribed',
  bounced: "the customer's address bounced",
  complained: 'the customer marked a message as spam',
  'do-not-contact': 'the team marked the customer not to be contacted',
  erased: "the customer's data was erased at their request",
  resting: 'another survey reached the customer since (fatigue rule)',
};

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
