import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, Mfa, OAuthScope, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { PulsoFunction } from '#lib/pulso-function.ts';

export interface AdminProps {
  /** The Pulso table. */
  readonly table: ITable;
  /**
   * Issuer of the JWTs that admins present (an OIDC provider of the deployer's choice).
   * Must be given together with `jwtAudience`.
   * @default - a Cognito user pool and app client created here
   */
  readonly jwtIssuer?: string;
  /**
   * Accepted `aud` (or `client_id`) values for `jwtIssuer`.
   * @default - the app client of the created user pool
   */
  readonly jwtAudience?: string[];
  /**
   * OAuth callback URLs of the dashboard, for the created user pool's app client.
   * @default ['http://localhost:3000/']
   */
  readonly callbackUrls?: string[];
  /**
   * What happens to the created user pool when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly userPoolRemovalPolicy?: RemovalPolicy;
}

/**
 * The functions of the admin API (surveys, metrics, cases, plans) and its JWT authorizer: by default tokens from a user pool created
 * here, or from the deployer's own identity provider.
 */
export class Admin extends Construct {
  public readonly authorizer: IHttpRouteAuthorizer;
  /** Present only when no external issuer was given. */
  public readonly userPool?: UserPool;
  /** Present only when no external issuer was given. */
  public readonly userPoolClient?: UserPoolClient;
  public readonly surveys: PulsoFunction;
  public readonly metrics: PulsoFunction;
  public readonly cases: PulsoFunction;
  public readonly plans: PulsoFunction;

  constructor(scope: Construct, id: string, props: AdminProps) {
    super(scope, id);

    if (Boolean(props.jwtIssuer) !== Boolean(props.jwtAudience?.length)) {
      throw new Error('Admin: jwtIssuer and jwtAudience must be given together');
    }
    if (props.jwtIssuer && props.jwtAudience) {
      this.authorizer = new HttpJwtAuthorizer('AdminJwt', props.jwtIssuer, {
        jwtAudience: props.jwtAudience,
      });
    } else {
      this.userPool = new UserPool(this, 'UserPool', {
        // Admins are invited by the platform team, never self-registered.
        selfSignUpEnabled: false,
        signInAliases: { email: true },
        accountRecovery: AccountRecovery.EMAIL_ONLY,
        // Admins can read every answer and case, so a second factor is required.
        mfa: Mfa.REQUIRED,
        mfaSecondFactor: { otp: true, sms: false },
        passwordPolicy: {
          minLength: 12,
          requireLowercase: true,
          requireUppercase: true,
          requireDigits: true,
          requireSymbols: true,
        },
        removalPolicy: props.userPoolRemovalPolicy ?? RemovalPolicy.RETAIN,
      });
      this.userPoolClient = this.userPool.addClient('DashboardClient', {
        // A browser dashboard cannot keep a secret; it uses SRP or the authorization code flow with PKCE.
        generateSecret: false,
        authFlows: { userSrp: true },
        oAuth: {
          flows: { authorizationCodeGrant: true },
          scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
          callbackUrls: props.callbackUrls ?? ['http://localhost:3000/'],
        },
        idTokenValidity: Duration.hours(1),
        accessTokenValidity: Duration.hours(1),
        preventUserExistenceErrors: true,
      });
      // Same issuer that HttpUserPoolAuthorizer builds: the token's `iss` claim.
      const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
      this.authorizer = new HttpJwtAuthorizer('AdminJwt', issuer, {
        jwtAudience: [this.userPoolClient.userPoolClientId],
      });
    }

    this.surveys = new PulsoFunction(this, 'Surveys', {
      entry: 'lambdas/handlers/surveys.ts',
      description:
        'Lists, reads and saves surveys, signs survey links (QR codes), keeps the routing table and webhook secrets',
    }).bindTable(props.table);
    this.metrics = new PulsoFunction(this, 'Metrics', {
      entry: 'lambdas/handlers/metrics.ts',
      description: 'Reads rolling NPS, CSAT and CES aggregates',
    }).bindTable(props.table, 'read');
    this.cases = new PulsoFunction(this, 'Cases', {
      entry: 'lambdas/handlers/cases.ts',
      description: 'Lists cases; acknowledges, assigns, comments on, resolves, closes and reopens them',
    }).bindTable(props.table);

    this.plans = new PulsoFunction(this, 'Plans', {
      entry: 'lambdas/handlers/plans.ts',
      description: 'Keeps action plans and measures their impact before and after their start',
    }).bindTable(props.table);
  }
}
