import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#http/openapi.ts';
import { routeEntries } from '#routes/index.ts';
import { scopeOf } from '#routes/route.ts';
import { synthPulso } from './support.ts';

describe('the route table', () => {
  const { template } = synthPulso();
  const templateRoutes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
    (r) =>
      r.Properties as {
        RouteKey: string;
        AuthorizationType?: string;
        AuthorizerId?: unknown;
        AuthorizationScopes?: string[];
      },
  );
  const table = routeEntries();
  const openApiKeys = Object.entries(openApiDocument().paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );

  it('names the same routes as the template and the OpenAPI document when either is derived from it', () => {
    const tableKeys = table.map((r) => r.key).sort();
    expect(templateRoutes.map((r) => r.RouteKey).sort()).toEqual(tableKeys);
    expect([...openApiKeys].sort()).toEqual(tableKeys);
    expect(new Set(tableKeys).size).toBe(tableKeys.length);
  });

  it('puts the JWT authorizer on every JWT route and on no other route when the stack is synthesized', () => {
    for (const { key, spec } of table) {
      const route = templateRoutes.find((r) => r.RouteKey === key);
      if (typeof spec.auth === 'object') {
        expect(route, key).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: expect.stringMatching(/AdminJwt/) },
        });
      } else {
        expect(route?.AuthorizationType ?? 'NONE', key).toBe('NONE');
        expect(route?.AuthorizerId, key).toBeUndefined();
      }
    }
  });

  it('makes API Gateway check the scope each JWT route declares, and none on the other routes', () => {
    for (const { key, spec } of table) {
      const route = templateRoutes.find((r) => r.RouteKey === key);
      expect(route?.AuthorizationScopes, key).toEqual(scopeOf(spec) ? [scopeOf(spec)] : undefined);
    }
  });

  it("tells each function that serves JWT routes which claim names a caller's groups, and no other", () => {
    const functionsOf = (synthesized: ReturnType<typeof synthPulso>) =>
      Object.values(synthesized.template.findResources('AWS::Lambda::Function')).map((f) => ({
        entry: String(f.Metadata?.['pulso:entry']),
        claim: f.Properties.Environment?.Variables?.PULSO_GROUPS_CLAIM as string | undefined,
      }));
    const jwtEntries = new Set(
      table.filter((r) => typeof r.spec.auth === 'object').map((r) => `lambdas/handlers/${kebab(r.fn)}.ts`),
    );
    const own = synthPulso({
      context: { jwtIssuer: 'https://login.example.com/', jwtAudience: 'pulso-web', jwtGroupsClaim: 'roles' },
    });
    for (const [synthesized, claim] of [
      [synthPulso(), 'cognito:groups'],
      [own, 'roles'],
    ] as const) {
      for (const fn of functionsOf(synthesized))
        expect(fn.claim, fn.entry).toBe(jwtEntries.has(fn.entry) ? claim : undefined);
    }
    // Each of them keeps audit entries the days the stack says.
    const retention = (synthesized: ReturnType<typeof synthPulso>) =>
      new Set(
        Object.values(synthesized.template.findResources('AWS::Lambda::Function'))
          .filter((f) => jwtEntries.has(String(f.Metadata?.['pulso:entry'])))
          .map((f) => f.Properties.Environment?.Variables?.AUDIT_RETENTION_DAYS),
      );
    expect(retention(synthPulso())).toEqual(new Set(['365']));
    expect(retention(synthPulso({ context: { auditRetentionDays: 730 } }))).toEqual(new Set(['730']));
    expect(() => synthPulso({ context: { auditRetentionDays: 7 } })).toThrow(/auditRetentionDays/);
    // The deployer's issuer issues no Pulso scopes: the functions check the role its groups claim names.
    own.template.allResourcesProperties('AWS::ApiGatewayV2::Route', { AuthorizationScopes: Match.absent() });
  });

  it('declares one scope when a route is behind the JWT authorizer', () => {
    const jwt = table.filter((r) => typeof r.spec.auth === 'object');
    expect(jwt.length).toBeGreaterThan(0);
    for (const { key, spec } of jwt) {
      expect(key).toMatch(/^[A-Z]+ \/v1\//);
      expect(spec.auth, key).toEqual({
        jwt: expect.stringMatching(/^(pulso\/[a-z-]+\.(read|write)|signed-in)$/),
      });
    }
  });
});

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
