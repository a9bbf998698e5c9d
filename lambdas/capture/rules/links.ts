import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed survey links: the segment attributes of an open link or QR code (`/s/demo?store=s-001&section=bar`)
 * carry `sig`, an HMAC-SHA256 over the survey id and the attributes, so that nobody can move answers to another
 * store by editing the link. Links do not expire: they are printed on tables and receipts.
 */

/** Query parameters of a survey link that are not segment attributes, and so are not signed. */
export const UNSIGNED_PARAMS: ReadonlySet<string> = new Set(['lang', 't', 'sig', 'score']);

/** 16 bytes of HMAC, base64url: 22 characters. */
const SIG_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * The signed text: JSON of the survey id and the attributes sorted by key (UTF-16 code unit order, not a
 * locale's). JSON quoting keeps it unambiguous (`a=x&b=y` cannot pass for `a="x&b=y"`), and the values are
 * taken byte for byte: no trimming or Unicode normalization, since a different spelling is a different segment.
 */
export function canonicalLink(surveyId: string, attributes: Readonly<Record<string, string>>): string {
  const sorted = Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([surveyId, sorted]);
}

/** The `sig` of a link: base64url of the first 16 bytes of HMAC-SHA256(key, canonical link). */
export function signLink(
  key: Buffer,
  surveyId: string,
  attributes: Readonly<Record<string, string>>,
): string {
  return createHmac('sha256', key)
    .update(canonicalLink(surveyId, attributes))
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** True when `sig` is the signature of exactly these attributes for this survey. Constant time. */
export function verifyLink(
  key: Buffer,
  surveyId: string,
  attributes: Readonly<Record<string, string>>,
  sig: string | undefined,
): boolean {
  // The pattern also refuses other spellings of the same bytes (base64url decoders skip stray characters).
  if (sig === undefined || !SIG_PATTERN.test(sig)) return false;
  const expected = Buffer.from(signLink(key, surveyId, attributes));
  return timingSafeEqual(Buffer.from(sig), expected);
}

export type LinkCheck =
  | { readonly ok: true; readonly signed: boolean }
  | { readonly ok: false; readonly reason: 'bad-signature' | 'unsigned' };

/**
 * What a survey page does with a link's attributes: a `sig` must verify; without one, attributes are taken as
 * plain hidden fields unless the survey requires signed links. A link without attributes needs no signature.
 */
export function checkLink(
  key: Buffer | undefined,
  input: {
    readonly surveyId: string;
    readonly attributes: Readonly<Record<string, string>>;
    readonly sig: string | undefined;
    readonly requireSigned: boolean;
  },
): LinkCheck {
  if (input.sig !== undefined) {
    return key !== undefined && verifyLink(key, input.surveyId, input.attributes, input.sig)
      ? { ok: true, signed: true }
      : { ok: false, reason: 'bad-signature' };
  }
  if (input.requireSigned && Object.keys(input.attributes).length > 0)
    return { ok: false, reason: 'unsigned' };
  return { ok: true, signed: false };
}

/**
 * The link a QR code carries: attributes in key order, then `lang`, then `sig`. Percent-encoded throughout
 * (a space is `%20`, never `+`, which not every decoder reads as a space).
 */
export function surveyLink(
  publicUrl: string,
  input: {
    readonly surveyId: string;
    readonly attributes: Readonly<Record<string, string>>;
    readonly sig: string;
    readonly lang?: string | undefined;
  },
): string {
  const base = publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
  const params: Array<[string, string]> = [
    ...Object.entries(input.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ...(input.lang ? [['lang', input.lang] as [string, string]] : []),
    ['sig', input.sig],
  ];
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `${base}s/${encodeURIComponent(input.surveyId)}?${query}`;
}
