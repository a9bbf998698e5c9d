import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { caseLinkUrl, signCaseLink, verifyCaseLink } from '#loop/rules/case-links.ts';

const key = randomBytes(32);
const now = new Date('2026-11-20T12:00:00Z');
const claims = { caseId: 'case-1', actor: 'ana@example.com', exp: now.getTime() / 1000 + 3600 };

describe('case links', () => {
  it('verifies what it signed', () => {
    expect(verifyCaseLink(key, signCaseLink(key, claims), 'case-1', now)).toEqual({ ok: true, claims });
  });

  it.each([
    ['another key signed it', () => signCaseLink(randomBytes(32), claims), 'case-1', 'bad-signature'],
    ['it is for another case', () => signCaseLink(key, claims), 'case-2', 'other-case'],
    [
      'it expired',
      () => signCaseLink(key, { ...claims, exp: now.getTime() / 1000 - 1 }),
      'case-1',
      'expired',
    ],
    ['it is not a token', () => 'nonsense', 'case-1', 'malformed'],
    [
      'its payload was edited',
      () => {
        const [, sig] = signCaseLink(key, claims).split('.');
        return `${Buffer.from(JSON.stringify(['case-1', 'boss@example.com', claims.exp])).toString('base64url')}.${sig}`;
      },
      'case-1',
      'bad-signature',
    ],
  ])('refuses a link when %s', (_, token, caseId, reason) => {
    expect(verifyCaseLink(key, token(), caseId, now)).toEqual({ ok: false, reason });
  });

  it('builds the link under the public URL, valid for a week', () => {
    const url = new URL(caseLinkUrl('https://pulso.example.com/', key, 'case 1', 'ana@example.com', now));
    expect(url.pathname).toBe('/c/case%201/acknowledge');
    const check = verifyCaseLink(
      key,
      url.searchParams.get('t') ?? '',
      'case 1',
      new Date(now.getTime() + 6.9 * 86_400_000),
    );
    expect(check.ok).toBe(true);
    expect(
      verifyCaseLink(
        key,
        url.searchParams.get('t') ?? '',
        'case 1',
        new Date(now.getTime() + 7.1 * 86_400_000),
      ),
    ).toEqual({
      ok: false,
      reason: 'expired',
    });
  });
});
