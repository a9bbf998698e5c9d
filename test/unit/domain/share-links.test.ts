import { describe, expect, it } from 'vitest';
import { parseShareToken, shareLinkBody, statusOfLink } from '#insight/rules/share-links.ts';

describe('share links', () => {
  it('reads a token as its link id and its secret, and nothing else as a token', () => {
    const secret = 'a1'.repeat(16);
    expect(parseShareToken(`shr_abcdefghij12.${secret}`)).toEqual({ linkId: 'shr_abcdefghij12', secret });
    for (const token of [
      `shr_abcdefghij12.${secret}x`,
      `shr_abcdefghij1.${secret}`,
      `shr_ABCDEFGHIJ12.${secret}`,
      `exp_abcdefghij12.${secret}`,
      `shr_abcdefghij12${secret}`,
      '',
    ]) {
      expect(parseShareToken(token), token).toBeUndefined();
    }
  });

  it('is active until it expires or is revoked, revoked first', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    expect(statusOfLink({ expiresAt: '2026-12-02T12:00:01Z' }, now)).toBe('active');
    expect(statusOfLink({ expiresAt: '2026-12-02T12:00:00Z' }, now)).toBe('expired');
    expect(statusOfLink({ expiresAt: '2026-12-01T00:00:00Z', revokedAt: '2026-11-30T00:00:00Z' }, now)).toBe(
      'revoked',
    );
  });

  it('lasts 7, 30 or 90 days, 30 unless told, and shows no comment unless told', () => {
    expect(shareLinkBody.parse({})).toEqual({ expiresInDays: 30, comments: false });
    expect(shareLinkBody.parse({ expiresInDays: 90, comments: true, segment: 'store:a1' })).toMatchObject({
      expiresInDays: 90,
      comments: true,
    });
    for (const expiresInDays of [1, 365, '7'])
      expect(shareLinkBody.safeParse({ expiresInDays }).success).toBe(false);
  });
});
