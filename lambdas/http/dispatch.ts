import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AuditTrail } from '#access/ports.ts';
import { NotFoundError } from '#kernel/errors.ts';
import type * as z from '#kernel/zod.ts';
import { partsOf, type RouteBody, type RouteSpec, type Routes, scopeOf } from '#routes/route.ts';
import { actorOf, mayCall } from './admin.ts';
import { auditOf, recordAudit } from './audit.ts';
import { jsonBody, mediaTypeOf, parseJsonText, rawBody } from './body.ts';
import { ForbiddenError, UnsupportedMediaTypeError } from './errors.ts';

type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | ParamNames<Rest>
  : never;
type PathOf<K extends string> = K extends `${string} ${infer P}` ? P : never;

type QueryOf<S extends RouteSpec> = S['query'] extends z.ZodMiniType ? z.output<S['query']> : undefined;
type BodyOf<B extends RouteBody | undefined> = B extends { readBy: 'implementation' }
  ? undefined
  : B extends { csv: true; json: infer J extends z.ZodMiniType }
    ? { readonly csv: string } | { readonly json: z.output<J> }
    : B extends { json: infer J extends z.ZodMiniType }
      ? z.output<J>
      : undefined;

/** What an implementation gets: path parameters, the parsed query and body, who calls (JWT routes), the event. */
export interface RouteRequest<K extends string, S extends RouteSpec> {
  readonly path: { readonly [N in ParamNames<PathOf<K>>]: string };
  readonly query: QueryOf<S>;
  readonly body: BodyOf<S['body']>;
  /** Who acts, from the JWT's claims (only on JWT routes; 401 when the token names nobody). */
  readonly actor: () => string;
  readonly event: APIGatewayProxyEventV2;
}

/** One implementation per route of the table: a missing or an extra one fails tsc. */
export type Implementations<R extends Routes> = {
  readonly [K in keyof R & string]: (
    request: RouteRequest<K, R[K] extends RouteSpec ? R[K] : never>,
  ) => Promise<APIGatewayProxyStructuredResultV2>;
};

function readBody(event: APIGatewayProxyEventV2, body: RouteBody | undefined): unknown {
  if (!body || body.readBy === 'implementation') return undefined;
  if (!('csv' in body)) return jsonBody(event, body.json);
  const type = mediaTypeOf(event);
  if (type === 'text/csv') return { csv: rawBody(event, body.maxBytes) };
  if (type === 'application/json')
    return { json: body.json.parse(parseJsonText(rawBody(event, body.maxBytes))) };
  throw new UnsupportedMediaTypeError('Send the body as text/csv, or as JSON rows.');
}

/**
 * The handler of one function's routes: finds the route of `event.routeKey`, refuses a caller whose role does not
 * hold the route's scope (403, before anything is read), parses its query (then its body) with the table's
 * schemas, and calls its implementation. A zod error becomes a 400 problem in problemErrors.
 */
export function dispatch<R extends Routes>(
  routes: R,
  implementations: Implementations<R>,
  options: {
    /** Where the audited routes (writes, reads of personal data) leave their trace; required when there are any. */
    readonly audit?: AuditTrail;
  } = {},
) {
  // What each route leaves in the trail, worked out once from the table.
  const actions = new Map(
    Object.entries(routes as Routes).flatMap(([key, spec]) => {
      const action = spec && auditOf(key, spec);
      return action ? [[key, action] as const] : [];
    }),
  );
  const [audited] = actions.keys();
  if (audited && !options.audit) throw new Error(`dispatch: ${audited} is audited; pass the audit trail`);
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const key = event.routeKey as keyof R & string;
    const spec = routes[key] as RouteSpec | undefined;
    const implementation = implementations[key] as
      | ((request: RouteRequest<string, RouteSpec>) => Promise<APIGatewayProxyStructuredResultV2>)
      | undefined;
    if (!spec || !implementation) throw new NotFoundError(`No route ${event.routeKey}.`);
    const scope = scopeOf(spec);
    if (scope && !mayCall(event, scope))
      throw new ForbiddenError(`Your role may not ${event.routeKey} (it needs ${scope}).`);
    const path = Object.fromEntries(partsOf(key).params.map((p) => [p, event.pathParameters?.[p] ?? '']));
    const query = spec.query?.parse(event.queryStringParameters ?? {});
    const body = readBody(event, spec.body);
    const response = await implementation({
      path,
      query,
      body,
      actor: () => actorOf(event),
      event,
    } as RouteRequest<string, RouteSpec>);
    // A refused or failed request threw before this: only what was read or changed is recorded.
    const action = actions.get(key);
    if (action && options.audit) await recordAudit(options.audit, event, action, response.statusCode ?? 200);
    return response;
  };
}
