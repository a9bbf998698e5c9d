import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#http/openapi.ts';
import { routeEntries } from '#routes/index.ts';
import { synthPulso } from './support.ts';

describe('the route table', () => {
  const { template } = synthPulso();
  const templateRoutes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
    (r) => r.Properties as { RouteKey: string; AuthorizationType?: string; AuthorizerId?: unknown },
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

  it('leaves scopes unenforced on the API when the table declares them (enforcement comes with roles)', () => {
    template.allResourcesProperties('AWS::ApiGatewayV2::Route', { AuthorizationScopes: Match.absent() });
  });

  it('declares one scope when a route is behind the JWT authorizer', () => {
    const jwt = table.filter((r) => typeof r.spec.auth === 'object');
    expect(jwt.length).toBeGreaterThan(0);
    for (const { key, spec } of jwt) {
      expect(key).toMatch(/^[A-Z]+ \/v1\//);
      expect(spec.auth, key).toEqual({ jwt: expect.stringMatching(/^pulso\/[a-z-]+\.(read|write)$/) });
    }
  });
});
