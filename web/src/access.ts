import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { holds, type Role } from '#routes/roles.ts';
import type { Scope } from '#routes/route.ts';

/** The signed-in person's role, as `GET /v1/me` gives it; null for someone in no Pulso group. */
export const RoleContext = createContext<Role | null>(null);

/**
 * Whether the person's role may use what needs `scope`, by the API's own rule (routes/roles.ts): screens and parts
 * of screens the role cannot use are not shown, so nobody meets a 403. The API refuses them all the same.
 */
export function useMay(): (scope: Scope) => boolean {
  const role = useContext(RoleContext);
  return (scope) => role !== null && holds(role, scope);
}
