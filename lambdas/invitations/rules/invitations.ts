import { createHmac, timingSafeEqual } from 'node:crypto';

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

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const mac = (key: Buffer, payload: string) =>
  createHmac('sha256', key).update(payload).digest().subarray(0, 16);

export function signInvitation(key: Buffer, claims: InvitationClaims): string {
  const payload = b64(JSON.stringify([claims.inv, claims.surveyId, claims.contactId, claims.exp]));
  return `${payload}.${b64(mac(key, payload))}`;
}

export function verifyInvitation(key: Buffer, token: string, surveyId: string, now: Date): TokenCheck {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || token.length > 600)
    return { ok: false, reason: 'malformed' };
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return { ok: false, reason: 'malformed' };
  const [inv, sid, contactId, exp] = parsed as unknown[];
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
