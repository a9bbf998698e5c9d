import { referencedIds, type StackReader } from './reader.ts';

export interface LocalRoute {
  readonly logicalId: string;
  readonly routeKey: string;
  readonly method: string;
  readonly path: string;
  /** Logical id of the Lambda function behind the route. */
  readonly functionId: string;
  readonly payloadFormatVersion: string;
  readonly authorization: 'NONE' | 'JWT';
  readonly authorizationScopes?: readonly string[];
}

export interface LocalCors {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAge?: number;
}

/**
 * AWS::ApiGatewayV2::Route with a Lambda proxy integration: method, path, function, payload format and
 * authorization (any authorizer is emulated as the local admin token's JWT check).
 */
export function readRoutes({ ofType, idOfType, warnings }: StackReader): LocalRoute[] {
  const integrations = new Map(ofType('AWS::ApiGatewayV2::Integration'));
  const authorizers = new Map(ofType('AWS::ApiGatewayV2::Authorizer'));
  const routes: LocalRoute[] = [];
  for (const [id, res] of ofType('AWS::ApiGatewayV2::Route')) {
    const p = res.Properties ?? {};
    const routeKey = String(p.RouteKey);
    const integrationId = referencedIds(p.Target).find((ref) => integrations.has(ref));
    const integration = integrationId ? integrations.get(integrationId) : undefined;
    const functionId = integration
      ? idOfType(integration.Properties?.IntegrationUri, 'AWS::Lambda::Function')
      : undefined;
    if (!integration || !functionId) {
      warnings.push(`Route ${routeKey}: only Lambda proxy integrations run locally; the route is left out`);
      continue;
    }
    const authType = String(p.AuthorizationType ?? 'NONE');
    const authorizerId = referencedIds(p.AuthorizerId)[0];
    const authorizer = authorizerId ? authorizers.get(authorizerId) : undefined;
    if (authType !== 'NONE' && (authType !== 'JWT' || authorizer?.Properties?.AuthorizerType !== 'JWT')) {
      warnings.push(`Route ${routeKey}: authorization ${authType} is emulated as the local admin token`);
    }
    const [method = 'ANY', path = '/'] = routeKey === '$default' ? ['ANY', '$default'] : routeKey.split(' ');
    routes.push({
      logicalId: id,
      routeKey,
      method,
      path,
      functionId,
      payloadFormatVersion: String(integration.Properties?.PayloadFormatVersion ?? '2.0'),
      authorization: authType === 'NONE' ? 'NONE' : 'JWT',
      authorizationScopes: p.AuthorizationScopes as string[] | undefined,
    });
  }
  for (const route of routes) {
    if (route.payloadFormatVersion !== '2.0') {
      warnings.push(
        `Route ${route.routeKey}: payload format ${route.payloadFormatVersion} is sent as 2.0 locally`,
      );
    }
  }
  return routes;
}

/** The CORS configuration of the (first) HTTP API, if it has one. */
export function readCors({ ofType, warnings }: StackReader): LocalCors | undefined {
  const apis = ofType('AWS::ApiGatewayV2::Api');
  if (apis.length > 1) warnings.push('Several HTTP APIs: the local API serves the routes of all of them');
  const corsConfig = apis[0]?.[1].Properties?.CorsConfiguration as Record<string, unknown> | undefined;
  if (!corsConfig) return undefined;
  return {
    allowOrigins: (corsConfig.AllowOrigins as string[] | undefined) ?? [],
    allowMethods: (corsConfig.AllowMethods as string[] | undefined) ?? [],
    allowHeaders: (corsConfig.AllowHeaders as string[] | undefined) ?? [],
    exposeHeaders: (corsConfig.ExposeHeaders as string[] | undefined) ?? [],
    allowCredentials: Boolean(corsConfig.AllowCredentials),
    maxAge: corsConfig.MaxAge as number | undefined,
  };
}
