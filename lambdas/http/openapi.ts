import * as z from '#kernel/zod.ts';
import { routeEntries } from '#routes/index.ts';
import { isJwtRoute, partsOf, type RouteBody, type RouteSpec, scopeOf } from '#routes/route.ts';

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ field: z.string(), code: z.string(), message: z.string() }))),
});

type JsonSchema = Record<string, unknown>;
const schema = (s: z.ZodMiniType, io: 'input' | 'output' = 'input') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;

const PROBLEM = {
  description: 'Problem',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

function parameters(key: string, spec: RouteSpec) {
  const path = partsOf(key).params.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = spec.query ? schema(spec.query) : {};
  const required = new Set((query.required as string[] | undefined) ?? []);
  const fields = Object.entries((query.properties as Record<string, JsonSchema> | undefined) ?? {});
  return [
    ...path,
    ...fields.map(([name, s]) => ({
      name,
      in: 'query',
      ...(required.has(name) ? { required: true } : {}),
      schema: s,
    })),
  ];
}

function requestBody(body: RouteBody, components: Map<string, JsonSchema>) {
  const content = (s: z.ZodMiniType, component?: string) => {
    if (!component) return { schema: schema(s) };
    components.set(component, schema(s));
    return { schema: { $ref: `#/components/schemas/${component}` } };
  };
  if ('form' in body)
    return { required: true, content: { 'application/x-www-form-urlencoded': content(body.form) } };
  if ('csv' in body)
    return {
      required: true,
      content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': content(body.json) },
    };
  return { required: true, content: { 'application/json': content(body.json, body.component) } };
}

function operation(key: string, spec: RouteSpec, components: Map<string, JsonSchema>) {
  const params = parameters(key, spec);
  const responses = Object.fromEntries([
    ...Object.entries(spec.responses).map(([status, r]) => [
      status,
      typeof r === 'string'
        ? { description: r }
        : {
            description: r.description,
            content: { 'application/json': { schema: schema(r.schema, 'output') } },
          },
    ]),
    ...(spec.problems ?? []).map((status) => [String(status), PROBLEM]),
  ]);
  return {
    summary: spec.summary,
    ...(isJwtRoute(spec)
      ? { security: [{ jwt: [scopeOf(spec) ?? []].flat() }] }
      : { security: [], 'x-pulso-auth': spec.auth }),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(spec.body ? { requestBody: requestBody(spec.body, components) } : {}),
    responses,
  };
}

/** The API as OpenAPI 3.1, built from the route table and the zod schemas the handlers validate with. */
export function openApiDocument() {
  const components = new Map<string, JsonSchema>();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { key, spec } of routeEntries()) {
    const { method, path } = partsOf(key);
    paths[path] = { ...paths[path], [method.toLowerCase()]: operation(key, spec, components) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Pulso API', version: '1' },
    components: {
      schemas: { ...Object.fromEntries(components), Problem: schema(problemSchema, 'output') },
      securitySchemes: {
        jwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "Each operation names the scope it will require (pulso/<resource>.<read|write>); API Gateway checks the token's issuer and audience, not yet its scopes.",
        },
      },
    },
    paths,
  };
}
