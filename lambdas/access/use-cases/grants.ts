import { NotFoundError } from '#kernel/errors.ts';
import type { Clock } from '#kernel/ports.ts';
import type { Visibility } from '#kernel/visibility.ts';
import type { GrantStore } from '../ports.ts';
import { checkSubject, type Grant, type GrantBody, subjectsOf, visibilityOf } from '../rules/grants.ts';

/** Who calls, as the HTTP layer reads their token: who the API records them by, their groups, their role's reach. */
export interface Caller {
  readonly actor: string;
  readonly groups: readonly string[];
  /** An admin's or an analyst's role: every place, whatever the grants. */
  readonly seesEverything: boolean;
}

/**
 * What the caller may see, from the grants as they are now (read on every request, so a grant given or taken
 * back applies to the next one): nothing is cached.
 */
export async function visibilityFor(deps: { grants: GrantStore }, caller: Caller): Promise<Visibility> {
  if (caller.seesEverything) return visibilityOf(true, []);
  return visibilityOf(false, await deps.grants.of(subjectsOf(caller.actor, caller.groups)));
}

export async function setGrant(
  deps: { grants: GrantStore; clock: Clock },
  input: { subject: string; body: GrantBody; actor: string },
): Promise<Grant> {
  const grant: Grant = {
    subject: checkSubject(input.subject),
    places: [...new Set(input.body.places)],
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: input.actor,
  };
  await deps.grants.put(grant);
  return grant;
}

export async function revokeGrant(deps: { grants: GrantStore }, subject: string): Promise<void> {
  if (!(await deps.grants.remove(checkSubject(subject)))) throw new NotFoundError(`${subject} has no grant.`);
}
