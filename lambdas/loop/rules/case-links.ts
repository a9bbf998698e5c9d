import { ExpiredError, RefusedError } from '#kernel/errors.ts';
import { openFields, signFields } from '#kernel/signed-tokens.ts';

/**
 * Signed one-click links in alert emails: `/c/{caseId}/acknowledge?t=<token>` lets the person the email was sent
 * to acknowledge the case without signing in. The token names the case and that person and expires; it is an
 * HMAC-SHA256 with a key kept in the table (see SigningKeyStore).
 */
export const CASE_LINK_KEY = 'case-links';
/** Links in alert emails work for a week. */
export const CASE_LINK_DAYS = 7;

export interface CaseLinkClaims {
  readonly caseId: string;
  /** Who the link was sent to: they become the acknowledger. */
  readonly actor: string;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

export function signCaseLink(key: Buffer, claims: CaseLinkClaims): string {
  return signFields(key, [claims.caseId, claims.actor, claims.exp]);
}

export type CaseLinkCheck =
  | { readonly ok: true; readonly claims: CaseLinkClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'other-case' | 'expired' };

export function verifyCaseLink(key: Buffer, token: string, caseId: string, now: Date): CaseLinkCheck {
  const opened = openFields(key, token, 1000, 3);
  if (!opened.ok) return opened;
  const [id, actor, exp] = opened.fields;
  if (typeof id !== 'string' || typeof actor !== 'string' || typeof exp !== 'number')
    return { ok: false, reason: 'malformed' };
  if (id !== caseId) return { ok: false, reason: 'other-case' };
  if (exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { caseId: id, actor, exp } };
}

/**
 * The claims of a valid link of this case; an expired one is gone (410, with `expired` as its message), any other
 * fault is refused (403).
 */
export function caseLinkClaims(
  key: Buffer,
  token: string,
  caseId: string,
  now: Date,
  expired = 'This link has expired.',
): CaseLinkClaims {
  const check = verifyCaseLink(key, token, caseId, now);
  if (check.ok) return check.claims;
  if (check.reason === 'expired') throw new ExpiredError(expired);
  throw new RefusedError(`This link is not valid (${check.reason}).`);
}

/**
 * A signed link of a case for one recipient: the acknowledge link (CASE_LINK_DAYS) by default, or another page of
 * the case (the customer's follow-up) signed with its own key for its own days.
 */
export function caseLinkUrl(
  publicUrl: string,
  key: Buffer,
  caseId: string,
  actor: string,
  now: Date,
  link: { readonly page: 'acknowledge' | 'follow-up'; readonly days: number } = {
    page: 'acknowledge',
    days: CASE_LINK_DAYS,
  },
): string {
  const token = signCaseLink(key, {
    caseId,
    actor,
    exp: Math.floor(now.getTime() / 1000) + link.days * 86_400,
  });
  return new URL(`c/${encodeURIComponent(caseId)}/${link.page}?t=${token}`, publicUrl).toString();
}
