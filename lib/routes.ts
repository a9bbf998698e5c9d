import type { HttpApi, HttpMethod, HttpRoute, IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { GROUPS_CLAIM_VARIABLE } from '#http/admin.ts';
import { AUDIT_RETENTION_VARIABLE } from '#http/audit.ts';
import type { PulsoFunction } from '#lib/pulso-function.ts';
import { type FunctionId, routeEntries } from '#routes/index.ts';
import { isJwtRoute, partsOf, scopeOf } from '#routes/route.ts';

export interface ApiRoutesProps {
  /** The authorizer of the JWT routes. */
  readonly authorizer: IHttpRouteAuthorizer;
  /** The function that serves each function id of the table: a missing one fails tsc. */
  readonly functions: Record<FunctionId, PulsoFunction>;
  /** Whether API Gateway checks each JWT route's scope (the tokens carry their role's scopes). */
  readonly enforceScopes: boolean;
  /** The claim each function serving JWT routes reads a caller's groups from, to check their role. */
  readonly groupsClaim: string;
  /** Days the audit trail keeps an entry (each function serving JWT routes writes them). */
  readonly auditRetentionDays: number;
}

export interface ApiRoutes {
  /** Routes without an authorizer (public, signed links, vendor signatures): the public survey contract. */
  readonly open: HttpRoute[];
  /** Routes behind the JWT authorizer. */
  readonly jwt: HttpRoute[];
}

/**
 * Adds every route of the route table (lambdas/routes) to the API, each with its function's integration and, on
 * JWT routes, the authorizer with the scope the route names (when the tokens carry scopes); each function that
 * serves JWT routes learns the groups claim, and checks the caller's role against the route itself.
 */
export function addApiRoutes(api: HttpApi, props: ApiRoutesProps): ApiRoutes {
  const integrations = new Map<FunctionId, HttpLambdaIntegration>();
  const routes: ApiRoutes = { open: [], jwt: [] };
  for (const { fn, key, spec } of routeEntries()) {
    // Ids as the constructs gave them before the table, so deployed integrations keep their logical ids.
    const id = `${fn.charAt(0).toUpperCase()}${fn.slice(1)}Integration`;
    const integration = integrations.get(fn) ?? new HttpLambdaIntegration(id, props.functions[fn]);
    integrations.set(fn, integration);
    const { method, path } = partsOf(key);
    const jwt = isJwtRoute(spec);
    const scope = scopeOf(spec);
    if (jwt)
      props.functions[fn]
        .addEnvironment(GROUPS_CLAIM_VARIABLE, props.groupsClaim)
        .addEnvironment(AUDIT_RETENTION_VARIABLE, String(props.auditRetentionDays));
    const [route] = api.addRoutes({
      path,
      methods: [method as HttpMethod],
      integration,
      ...(jwt ? { authorizer: props.authorizer } : {}),
      ...(scope && props.enforceScopes ? { authorizationScopes: [scope] } : {}),
    });
    if (route) (jwt ? routes.jwt : routes.open).push(route);
  }
  return routes;
}
