import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contactIdOf, parseContactsCsv } from '#invitations/rules/contacts.ts';
import { signInvitation, verifyInvitation } from '#invitations/rules/invitations.ts';

const key = randomBytes(32);
const now = new Date('2026-11-20T12:00:00Z');
const claims = { inv: 'inv-1', surveyId: 'demo', contactId: 'c-1', exp: now.getTime() / 1000 + 3600 };

describe('invitation tokens', () => {
  it('verifies a token it signed', () => {
    expect(verifyInvitation(key, signInvitation(key, claims), 'demo', now)).toEqual({ ok: true, claims });
  });

  it.each([
    {
      name: 'the payload was edited',
      token: () => {
        const [p, s] = signInvitation(key, claims).split('.');
        return `${Buffer.from(
          Buffer.from(p ?? '', 'base64url')
            .toString()
            .replace('c-1', 'c-2'),
        ).toString('base64url')}.${s}`;
      },
      reason: 'bad-signature',
    },
    {
      name: 'another key signed it',
      token: () => signInvitation(randomBytes(32), claims),
      reason: 'bad-signature',
    },
    { name: 'it is not a token', token: () => 'hello', reason: 'malformed' },
    { name: 'it has three parts', token: () => `${signInvitation(key, claims)}.x`, reason: 'malformed' },
  ])('refuses a token when $name', ({ token, reason }) => {
    expect(verifyInvitation(key, token(), 'demo', now)).toEqual({ ok: false, reason });
  });

  it('refuses an expired token', () => {
    const token = signInvitation(key, { ...claims, exp: now.getTime() / 1000 - 1 });
    expect(verifyInvitation(key, token, 'demo', now)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token of another survey', () => {
    expect(verifyInvitation(key, signInvitation(key, claims), 'other', now)).toEqual({
      ok: false,
      reason: 'other-survey',
    });
  });
});

describe('parseContactsCsv', () => {
  it('keeps good rows and reports bad ones by line', () => {
    const csv = [
      'email,phone,locale,store,region',
      'ana@example.com,,es,s-001,north',
      'not-an-email,,pt,s-002,south',
      ',+55 11 98765-4321,pt,s-003,south',
      ',,en,s-004,east',
      'bo@example.com,12345,xx,s-005,east',
    ].join('\n');
    const result = parseContactsCsv(csv);
    expect(result.rows).toBe(5);
    expect(result.contacts.map((c) => c.email ?? c.phone)).toEqual(['ana@example.com', '+5511987654321']);
    expect(result.contacts[0]).toMatchObject({
      locale: 'es',
      attributes: { store: 's-001', region: 'north' },
    });
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'email'],
      [5, 'email'],
      [6, 'phone'],
      [6, 'locale'],
    ]);
  });

  it('gives the same contact id to the same email whatever its case, so a re-import updates one contact', () => {
    expect(contactIdOf('Ana@Example.com', undefined)).toBe(contactIdOf('ana@example.com', undefined));
    const result = parseContactsCsv('email,store\nana@example.com,s-1\nANA@example.com,s-2\n');
    expect(result.contacts).toHaveLength(1);
    expect(result.contacts[0]?.attributes.store).toBe('s-2');
  });

  it('reports a broken file instead of throwing', () => {
    const result = parseContactsCsv('email,store\n"ana@example.com,s-1\n');
    expect(result.contacts).toEqual([]);
    expect(result.errors[0]).toMatchObject({ field: '(file)', code: 'invalid_csv' });
  });

  it('handles a BOM, CRLF and quoted commas', () => {
    const result = parseContactsCsv('\uFEFFemail,store\r\n"ana@example.com","Store, Centro"\r\n');
    expect(result.contacts[0]?.attributes.store).toBe('Store, Centro');
  });
});

describe('the demo contacts that npm start seeds', () => {
  it('parse without errors, in three languages, with the mailbox simulator addresses', async () => {
    const { readFileSync } = await import('node:fs');
    const parsed = parseContactsCsv(readFileSync('local/demo-contacts.csv', 'utf8'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.contacts).toHaveLength(5);
    expect(new Set(parsed.contacts.map((c) => c.locale))).toEqual(new Set(['en', 'es', 'pt']));
    expect(parsed.contacts.map((c) => c.email)).toContain('bounce@simulator.amazonses.com');
    expect(parsed.contacts.every((c) => c.attributes.list === 'demo')).toBe(true);
  });
});
