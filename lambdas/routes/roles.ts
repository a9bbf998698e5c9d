import { RESOURCE_SERVER, type Scope } from './route.ts';

/**
 * The roles people hold, most powerful first. On AWS each is a Cognito group of the same name (or a value of the
 * deployer's issuer's groups claim); a person in several groups acts with the first of them here.
 */
export const ROLES = ['admin', 'analyst', 'manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What only an admin may do: the secrets vendors sign with, and who may see what. */
const ADMIN_ONLY: readonly Scope[] = ['pulso/webhooks.write', 'pulso/access.read', 'pulso/access.write'];

/**
 * The scopes of the roles that hold a few: a manager reads the figures, comments and cases of their places and
 * acts on those cases and plans, and may share their figures; a viewer reads figures only, no customer's words,
 * email or phone (no responses, cases, contacts or campaigns).
 */
const LISTED: Readonly<Record<'manager' | 'viewer', readonly Scope[]>> = {
  manager: [
    'pulso/surveys.read',
    'pulso/metrics.read',
    'pulso/responses.read',
    'pulso/cases.read',
    'pulso/cases.write',
    'pulso/plans.read',
    'pulso/plans.write',
    'pulso/shares.write',
  ],
  viewer: ['pulso/surveys.read', 'pulso/metrics.read', 'pulso/plans.read'],
};

/**
 * Whether `role` holds `scope`: an admin every scope, an analyst every scope but the admin's own (so a new route's
 * scope reaches them without a change here), a manager and a viewer only those listed.
 */
export function holds(role: Role, scope: string): boolean {
  if (role === 'admin') return true;
  if (role === 'analyst') return !ADMIN_ONLY.includes(scope as Scope);
  return LISTED[role].includes(scope as Scope);
}

/**
 * Whether a role sees every place of every survey (the CX team), or only the places its grants name (a manager, a
 * viewer: nothing without a grant).
 */
export const seesEverything = (role: Role | undefined) => role === 'admin' || role === 'analyst';

/**
 * The role a person acts with, from their groups: the first of ROLES they are in; none when they are in no
 * Pulso group (they can sign in, and call nothing).
 */
export function roleOf(groups: readonly string[]): Role | undefined {
  return ROLES.find((role) => groups.includes(role));
}

/**
 * A groups claim as API Gateway passes it to the function (every claim a string: an array as `[a b]`), or as a
 * token carries it (an array, or one string, space or comma separated).
 */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** Of the scopes a token was asked for, the Pulso scopes the role of `groups` does not hold: all of them for none. */
export function scopesToSuppress(groups: readonly string[], asked: readonly string[]): string[] {
  const role = roleOf(groups);
  return asked.filter((scope) => scope.startsWith(`${RESOURCE_SERVER}/`) && !(role && holds(role, scope)));
}
