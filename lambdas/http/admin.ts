import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { UnauthorizedError } from './errors.ts';

/** Who acts, from the JWT authorizer's claims (API Gateway has already checked the token). */
export function actorOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): string {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const who = claims.email ?? claims['cognito:username'] ?? claims.sub;
  if (!who) throw new UnauthorizedError('The token names nobody.');
  return String(who);
}
