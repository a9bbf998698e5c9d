import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '#local/clock.ts';
import type { Runtime } from '#local/runtime.ts';
import { type RouteEntry, routeEntries } from '#routes/index.ts';
import { holds, type Role } from '#routes/roles.ts';
import { isJwtRoute, partsOf, scopeOf } from '#routes/route.ts';
import { startTestRuntime } from '../support/http.ts';

/**
 * Who may call what, derived from the route table: every route, called by every demo person (one per role), by
 * nobody, with a token signed by another key and with an expired one, answers as the route's scope and the
 * caller's role say. The table and the roles are the only inputs; no route is listed here by hand.
 */
let rt: Runtime;
let stopRuntime: (() => Promise<void>) | undefined;
// The runtime's clock, moved forward past the tokens' lifetime for the expiry check (timers keep real time).
let skewMs = 0;
const clock: Clock = { ...systemClock, now: () => Date.now() + skewMs };

const jwtRoutes = routeEntries().filter((r) => isJwtRoute(r.spec));
const openRoutes = routeEntries().filter((r) => !isJwtRoute(r.spec));
/** Whether `role` may call a JWT route: it holds the route's scope, or the route needs none. */
const mayCall = (role: Role, r: RouteEntry) => {
  const scope = scopeOf(r.spec);
  return scope === undefined || holds(role, scope);
};

/** Calls a route with made-up ids and an empty body: enough to reach its authorizer and its handler's checks. */
async function call(route: RouteEntry, token?: string): Promise<number> {
  const { method, path } = partsOf(route.key);
  const url = new URL(path.replace(/\{(\w+)\}/g, 'probe-$1').slice(1), rt.apiUrl);
  const writes = method === 'POST' || method === 'PUT';
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(writes ? { 'content-type': 'application/json' } : {}),
    },
    ...(writes ? { body: '{}' } : {}),
  });
  await res.arrayBuffer();
  return res.status;
}

/** The same claims, signed by a key the issuer does not publish, under the issuer's key id. */
async function forged(token: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const { kid } = decodeProtectedHeader(token);
  return new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
}

beforeAll(async () => {
  ({ rt, stop: stopRuntime } = await startTestRuntime({ clock }));
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe('who may call what', () => {
  it('covers every route of the table and every role', () => {
    expect(jwtRoutes.length + openRoutes.length).toBe(routeEntries().length);
    expect(new Set(rt.people.map((p) => p.role))).toEqual(new Set(['admin', 'analyst', 'manager', 'viewer']));
  });

  it('lets each role call the JWT routes whose scope it holds and refuses it the others with a 403', async () => {
    const wrong: string[] = [];
    for (const route of jwtRoutes) {
      for (const person of rt.people) {
        const status = await call(route, person.accessToken);
        const allowed = mayCall(person.role, route);
        const ok = allowed ? status !== 401 && status !== 403 && status < 500 : status === 403;
        if (!ok) wrong.push(`${person.role} ${route.key}: ${status}${allowed ? '' : ' (should be 403)'}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('answers 401 on every JWT route to a caller with no token or with a token the issuer did not sign', async () => {
    const admin = rt.people.find((p) => p.role === 'admin')?.accessToken ?? '';
    const forgery = await forged(admin);
    const wrong: string[] = [];
    for (const route of jwtRoutes) {
      for (const [who, token] of [
        ['nobody', undefined],
        ['forged', forgery],
        ['not a JWT', 'abc.def.ghi'],
      ] as const) {
        const status = await call(route, token);
        if (status !== 401) wrong.push(`${who} ${route.key}: ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('answers the open routes (pages, signed links, vendors) the same with or without a token', async () => {
    const viewer = rt.people.find((p) => p.role === 'viewer')?.accessToken ?? '';
    const wrong: string[] = [];
    for (const route of openRoutes) {
      const [none, withToken] = [await call(route), await call(route, viewer)];
      if (none !== withToken || none >= 500) wrong.push(`${route.key}: ${none} / ${withToken}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('tells each person their role through GET /v1/me, which every role may call', async () => {
    for (const person of rt.people) {
      const res = await fetch(new URL('v1/me', rt.apiUrl), {
        headers: { authorization: `Bearer ${person.accessToken}` },
      });
      expect(await res.json(), person.username).toMatchObject({ actor: person.username, role: person.role });
    }
  });

  // Last: the runtime's clock moves past the tokens' lifetime.
  it("answers 401 on every JWT route once the caller's token has expired", async () => {
    const { exp = 0 } = decodeJwt(rt.adminToken);
    skewMs = exp * 1000 - Date.now() + 1000;
    const wrong: string[] = [];
    for (const route of jwtRoutes) {
      const status = await call(route, rt.adminToken);
      if (status !== 401) wrong.push(`${route.key}: ${status}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});
