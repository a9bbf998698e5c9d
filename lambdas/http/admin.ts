import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { UnauthorizedError } from './errors.ts';

/** Who acts, from the JWT authorizer's claims (API Gateway has already checked the token): an ID token's email or
 * `cognito:username`, an access token's `username` (Cognito's and the local provider's), else `sub`. */
export function actorOf(event: APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer): string {
  const context = event.requestContext as
    | Partial<APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']>
    | undefined;
  const authorizer = context?.authorizer;
  const claims = authorizer?.jwt?.claims ?? {};
  const who = claims.email ?? claims['cognito:username'] ?? claims.username ?? claims.sub;
  if (!who) throw new UnauthorizedError('The token names nobody.');
  return String(who);
}
