import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { AuditTrail } from '#access/ports.ts';
import type { AuditEntry } from '#access/rules/audit.ts';
import { dispatch } from '#http/dispatch.ts';
import { ForbiddenError } from '#http/errors.ts';
import { NotFoundError } from '#kernel/errors.ts';
import * as z from '#kernel/zod.ts';
import { defineRoutes } from '#routes/route.ts';

const routes = defineRoutes({
  'GET /t/{id}': {
    summary: 'Read',
    auth: 'public',
    query: z.looseObject({ n: z.optional(z.string()) }),
    responses: { 200: 'Read' },
  },
  'POST /t/{id}': { summary: 'Write', auth: 'public', responses: { 200: 'Written' } },
});

const answer = (body: string) => async () => ({ statusCode: 200, body });
const event = (routeKey: string, query?: Record<string, string>) =>
  ({
    routeKey,
    pathParameters: { id: 'a1' },
    queryStringParameters: query,
    headers: {},
  }) as unknown as APIGatewayProxyEventV2;

describe('dispatch', () => {
  it('fails the build when a route has no implementation or an implementation no route', () => {
    // @ts-expect-error POST /t/{id} has no implementation
    const missing = dispatch(routes, { 'GET /t/{id}': answer('get') });
    const extra = dispatch(routes, {
      'GET /t/{id}': answer('get'),
      'POST /t/{id}': answer('post'),
      // @ts-expect-error DELETE /t/{id} is no route of the table
      'DELETE /t/{id}': answer('delete'),
    });
    expect([missing, extra].every((handler) => typeof handler === 'function')).toBe(true);
  });

  it("calls the implementation of the event's route, with its path parameters and parsed query", async () => {
    const handler = dispatch(routes, {
      'GET /t/{id}': async ({ path, query }) => ({ statusCode: 200, body: `get ${path.id} ${query.n}` }),
      'POST /t/{id}': async ({ path }) => ({ statusCode: 201, body: `post ${path.id}` }),
    });

    expect(await handler(event('GET /t/{id}', { n: '7' }))).toEqual({ statusCode: 200, body: 'get a1 7' });
    expect(await handler(event('POST /t/{id}'))).toEqual({ statusCode: 201, body: 'post a1' });
  });

  it('answers not found when the event names a route the table does not have', async () => {
    const handler = dispatch(routes, { 'GET /t/{id}': answer('get'), 'POST /t/{id}': answer('post') });

    await expect(handler(event('DELETE /t/{id}'))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('dispatch on a JWT route', () => {
  const guarded = defineRoutes({
    'PUT /g/{id}': {
      summary: 'Change',
      auth: { jwt: 'pulso/webhooks.write' },
      body: { json: z.object({ n: z.number() }) },
      responses: { 200: 'Changed' },
    },
  });
  const recorded: AuditEntry[] = [];
  const trail: AuditTrail = { record: async (e) => void recorded.push(e), day: async () => [] };
  const handler = dispatch(guarded, { 'PUT /g/{id}': answer('changed') }, { audit: trail });

  it('refuses to be made without an audit trail for routes that are audited', () => {
    expect(() => dispatch(guarded, { 'PUT /g/{id}': answer('changed') })).toThrow(/audited/);
  });
  const as = (claims: Record<string, string>, body = '{"n":1}') =>
    ({
      routeKey: 'PUT /g/{id}',
      pathParameters: { id: 'a1' },
      headers: { 'content-type': 'application/json' },
      body,
      requestContext: { authorizer: { jwt: { claims, scopes: null } } },
    }) as unknown as APIGatewayProxyEventV2;

  it("refuses a caller whose role does not hold the route's scope, before reading the body", async () => {
    for (const groups of ['[analyst]', '[viewer manager]', '', '[pulso-admins]']) {
      await expect(
        handler(as({ username: 'u', 'cognito:groups': groups }, 'not json')),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    await expect(handler(as({ username: 'u' }))).rejects.toBeInstanceOf(ForbiddenError);
    expect(recorded).toEqual([]);
    expect(await handler(as({ username: 'u', 'cognito:groups': '[viewer admin]' }))).toEqual({
      statusCode: 200,
      body: 'changed',
    });
    // Only the change that was made is in the trail.
    expect(recorded).toEqual([
      expect.objectContaining({
        actor: 'u',
        role: 'admin',
        action: 'change',
        route: 'PUT /g/{id}',
        target: { id: 'a1' },
      }),
    ]);
  });

  it('reads the groups from the claim the stack names for an issuer of your own', async () => {
    process.env.PULSO_GROUPS_CLAIM = 'roles';
    try {
      expect(await handler(as({ sub: 's', roles: 'admin' }))).toMatchObject({ statusCode: 200 });
      await expect(handler(as({ sub: 's', 'cognito:groups': '[admin]' }))).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    } finally {
      delete process.env.PULSO_GROUPS_CLAIM;
    }
  });
});
