import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { GrantStore } from '#access/ports.ts';
import { type Caller, visibilityFor } from '#access/use-cases/grants.ts';
import type { Visibility } from '#kernel/visibility.ts';
import { groupsOf, holds, type Role, roleOf, seesEverything } from '#routes/roles.ts';
import { UnauthorizedError } from './errors.ts';

/**
 * The claim that names a person's groups: Cognito's `cognito:groups` unless the deployer's issuer names them in
 * another (`PULSO_GROUPS_CLAIM`, set from the stack's `jwtGroupsClaim`).
 */
export const GROUPS_CLAIM_VARIABLE = 'PULSO_GROUPS_CLAIM';

type Event = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;

function claimsOf(event: Event) {
  const context = event.requestContext as
    | Partial<APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']>
    | undefined;
  return context?.authorizer?.jwt?.claims ?? {};
}

/** Who acts, from the JWT authorizer's claims (API Gateway has already checked the token): an ID token's email or
 * `cognito:username`, an access token's `username` (Cognito's and the local provider's), else `sub`. */
export function actorOf(event: Event): string {
  const claims = claimsOf(event);
  const who = claims.email ?? claims['cognito:username'] ?? claims.username ?? claims.sub;
  if (!who) throw new UnauthorizedError('The token names nobody.');
  return String(who);
}

/** The caller's groups, from their token's groups claim. */
const groupsOfCaller = (event: Event) =>
  groupsOf(claimsOf(event)[process.env[GROUPS_CLAIM_VARIABLE] || 'cognito:groups']);

/** The role the caller acts with, from their token's groups claim; none for a token of no Pulso group. */
export function callerRole(event: Event): Role | undefined {
  return roleOf(groupsOfCaller(event));
}

/** The caller as the access rules see them: who, in which groups, and whether their role sees every place. */
export function callerOf(event: Event): Caller {
  return {
    actor: actorOf(event),
    groups: groupsOfCaller(event),
    seesEverything: seesEverything(callerRole(event)),
  };
}

/**
 * Whether the caller's role holds `scope`. API Gateway has checked the token's scopes already when the stack
 * enforces them (Cognito's tokens carry the role's scopes); this holds for any issuer, by the groups claim.
 */
export function mayCall(event: Event, scope: string): boolean {
  const role = callerRole(event);
  return role !== undefined && holds(role, scope);
}

/** The places the caller may see, from the grants as they are now (read on every request). */
export function visibilityOfCaller(grants: GrantStore, event: Event): Promise<Visibility> {
  return visibilityFor({ grants }, callerOf(event));
}
