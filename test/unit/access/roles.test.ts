import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jwtScopes, scopesOf } from '#routes/index.ts';
import { groupsOf, holds, ROLES, roleOf, scopesToSuppress } from '#routes/roles.ts';

/** The scopes that read or change a customer's words, email or phone. */
const PERSONAL_DATA = [
  'pulso/responses.read',
  'pulso/cases.read',
  'pulso/cases.write',
  'pulso/contacts.read',
  'pulso/contacts.write',
  'pulso/campaigns.read',
  'pulso/campaigns.write',
];

describe('roles', () => {
  it('gives an admin every scope of the route table, and an analyst all but the webhook secrets and access', () => {
    expect(scopesOf('admin')).toEqual(jwtScopes());
    expect(jwtScopes().filter((s) => !holds('analyst', s))).toEqual([
      'pulso/webhooks.write',
      'pulso/access.read',
      'pulso/access.write',
    ]);
  });

  it('gives a manager the figures, comments, cases and plans, and no contacts, campaigns or set-up', () => {
    expect(scopesOf('manager').sort()).toEqual(
      [
        'pulso/cases.read',
        'pulso/cases.write',
        'pulso/metrics.read',
        'pulso/plans.read',
        'pulso/plans.write',
        'pulso/responses.read',
        'pulso/shares.write',
        'pulso/surveys.read',
      ].sort(),
    );
  });

  it("gives a viewer no scope that reads a customer's words, email or phone", () => {
    for (const scope of PERSONAL_DATA) expect(jwtScopes(), scope).toContain(scope);
    expect(scopesOf('viewer').filter((s) => PERSONAL_DATA.includes(s))).toEqual([]);
    expect(scopesOf('viewer')).toEqual(expect.arrayContaining(['pulso/metrics.read', 'pulso/surveys.read']));
  });

  it('orders the roles so that each holds no more than the one before it', () => {
    for (const [i, role] of ROLES.entries()) {
      const before = ROLES[i - 1];
      if (before)
        for (const scope of scopesOf(role)) expect(holds(before, scope), `${before} ${scope}`).toBe(true);
    }
  });

  it('acts with the first role a person holds, and with none for groups that are not roles', () => {
    expect(roleOf(['viewer', 'admin'])).toBe('admin');
    expect(roleOf(['store-staff', 'manager'])).toBe('manager');
    expect(roleOf(['Admin', 'admins'])).toBeUndefined();
    expect(roleOf([])).toBeUndefined();
  });

  it('reads a groups claim as API Gateway passes it, as an array, or as a list in one string', () => {
    expect(groupsOf('[manager viewer]')).toEqual(['manager', 'viewer']);
    expect(groupsOf('[]')).toEqual([]);
    expect(groupsOf(['analyst'])).toEqual(['analyst']);
    expect(groupsOf('admin, viewer')).toEqual(['admin', 'viewer']);
    expect(groupsOf(undefined)).toEqual([]);
    expect(groupsOf(7)).toEqual([]);
  });

  it('suppresses the Pulso scopes a role lacks, every one for no role, and never the OpenID scopes', () => {
    const asked = ['openid', 'email', ...jwtScopes()];
    expect(scopesToSuppress(['admin'], asked)).toEqual([]);
    expect(scopesToSuppress(['analyst'], asked)).toEqual([
      'pulso/webhooks.write',
      'pulso/access.read',
      'pulso/access.write',
    ]);
    expect(scopesToSuppress(['viewer'], asked).sort()).toEqual(
      jwtScopes()
        .filter((s) => !scopesOf('viewer').includes(s))
        .sort(),
    );
    expect(scopesToSuppress([], asked)).toEqual(jwtScopes());
  });
});

describe('docs/access.md', () => {
  it("shows each role's scopes as the rule gives them, for every scope of the table", () => {
    const text = readFileSync(new URL('../../../docs/access.md', import.meta.url), 'utf8');
    const rows = [...text.matchAll(/^\| `(pulso\/[a-z.]+)`\s*\|(.+)\|$/gm)].map(
      ([, scope = '', cells = '']) => [scope, cells.split('|').map((c) => c.trim() === '✓')],
    );
    expect(rows.map(([scope]) => scope).sort()).toEqual([...jwtScopes()].sort());
    for (const [scope, marks] of rows)
      expect(marks, String(scope)).toEqual(ROLES.map((role) => holds(role, String(scope))));
  });
});
