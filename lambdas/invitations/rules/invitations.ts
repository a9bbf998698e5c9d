import { openFields, signFields } from '#kernel/signed-tokens.ts';

/**
 * Invitation tokens: the `t` of a survey link sent by email or SMS. Signed (HMAC-SHA256), expiring, and single
 * use: the invitation id becomes the response's submission id, so a second answer is the same submission and
 * counts nothing.
 */
export interface InvitationClaims {
  /** Invitation id: unique per contact and campaign. */
  readonly inv: string;
  readonly surveyId: string;
  readonly contactId: string;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: InvitationClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'expired' | 'other-survey' };

export function signInvitation(key: Buffer, claims: InvitationClaims): string {
  return signFields(key, [claims.inv, claims.surveyId, claims.contactId, claims.exp]);
}

export function verifyInvitation(key: Buffer, token: string, surveyId: string, now: Date): TokenCheck {
  const opened = openFields(key, token, 600, 4);
  if (!opened.ok) return opened;
  const [inv, sid, contactId, exp] = opened.fields;
  if (
    typeof inv !== 'string' ||
    typeof sid !== 'string' ||
    typeof contactId !== 'string' ||
    typeof exp !== 'number'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (sid !== surveyId) return { ok: false, reason: 'other-survey' };
  if (exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { inv, surveyId: sid, contactId, exp } };
}

/** The submission id of an invited response: one per invitation, so the link answers once. */
export const invitationSubmissionId = (inv: string) => `inv.${inv}`;
