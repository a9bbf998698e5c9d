import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compact signed tokens for links (invitations, case links): the base64url JSON array of the fields, a dot, and
 * the first 16 bytes of its HMAC-SHA256 in base64url. What the fields mean, and when they expire, is the caller's.
 */
const mac = (key: Buffer, payload: string) =>
  createHmac('sha256', key).update(payload).digest().subarray(0, 16);

export function signFields(key: Buffer, fields: readonly (string | number)[]): string {
  const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

export type OpenedFields =
  | { readonly ok: true; readonly fields: readonly unknown[] }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' };

/** The fields of a token signed with `key`, if it is at most `maxLength` long and holds exactly `count` of them. */
export function openFields(key: Buffer, token: string, maxLength: number, count: number): OpenedFields {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || token.length > maxLength)
    return { ok: false, reason: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Array.isArray(parsed) || parsed.length !== count) return { ok: false, reason: 'malformed' };
  return { ok: true, fields: parsed };
}
