import { Aws, Duration, Fn, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
  UserPoolOperation,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { PulsoFunction } from '#lib/pulso-function.ts';
import { jwtScopes } from '#routes/index.ts';
import { ROLES, type Role } from '#routes/roles.ts';
import { RESOURCE_SERVER } from '#routes/route.ts';

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
   * The web app's client id at `jwtIssuer` (written to the app's config.json).
   * @default - the first of `jwtAudience`
   */
  readonly appClientId?: string;
  /**
   * The scopes the web app asks `jwtIssuer` for: those that get it an access token the API accepts.
   * @default ['openid', 'email', 'profile']
   */
  readonly appScopes?: string[];
  /**
   * With `jwtIssuer`: the access-token claim that names a person's groups there, whose values are Pulso's roles
   * (`admin`, `analyst`, `manager`, `viewer`). The functions check each route against the role it names.
   * @default 'groups'
   */
  readonly jwtGroupsClaim?: string;
  /**
   * Prefix of the created user pool's managed-login domain, `https://<prefix>.auth.<region>.amazoncognito.com`:
   * lowercase letters, digits and hyphens, unique in the region across AWS, without "aws", "amazon" or "cognito".
   * @default - `pulso-` and the stack's id (a GUID), unique and revealing nothing
   */
  readonly cognitoDomainPrefix?: string;
  /**
   * Further callback and sign-out URLs of the web app's client in the created user pool, besides the URLs the app
   * is served at (for example a development server that signs in against the deployed pool).
   * @default - only the app's own URLs
   */
  readonly callbackUrls?: string[];
  /**
   * What happens to the created user pool when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly userPoolRemovalPolicy?: RemovalPolicy;
}

/**
 * How the web app signs people in: what its `/app/config.json` says and where its pages may connect. Either the
 * user pool created here (its managed login) or the deployer's own OpenID provider.
 */
export interface WebAppSignIn {
  /** The tokens' `iss`; the app reads `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** Origins the browser fetches from while signing in (discovery, the token endpoint): the app's connect-src. */
  readonly origins: readonly string[];
  /** The scopes the app asks for. */
  readonly scopes: readonly string[];
  /**
   * The app's public OAuth client, for the URLs the app is served at (its callback and sign-out URLs). Called
   * once, by the construct that hosts the app, when it knows its URL.
   */
  clientFor(appUrls: readonly string[]): string;
}

/**
 * The functions of the admin API (surveys, metrics, responses, cases, plans), its JWT authorizer, and how people sign in: by
 * default a Cognito user pool created here, with a managed-login domain, the `pulso` resource server (its scopes
 * from the route table) and the web app's public client; or the deployer's own identity provider.
 */
export class Admin extends Construct {
  public readonly authorizer: IHttpRouteAuthorizer;
  /** How the web app signs people in. */
  public readonly signIn: WebAppSignIn;
  /** Present only when no external issuer was given. */
  public readonly userPool?: UserPool;
  /** The managed-login domain; present only when no external issuer was given. */
  public readonly userPoolDomain?: UserPoolDomain;
  /** The API's scopes (`pulso/<resource>.<read|write>`); present only when no external issuer was given. */
  public readonly resourceServer?: UserPoolResourceServer;
  public readonly surveys: PulsoFunction;
  public readonly metrics: PulsoFunction;
  public readonly responses: PulsoFunction;
  public readonly shareLinks: PulsoFunction;
  public readonly cases: PulsoFunction;
  public readonly plans: PulsoFunction;
  /** Who the caller is to Pulso (their role). */
  public readonly access: PulsoFunction;
  /** The claim the functions read a caller's groups from (their role). */
  public readonly groupsClaim: string;
  /**
   * Whether API Gateway checks each route's scope: the created user pool's tokens carry the role's scopes (the
   * pre token generation trigger); the deployer's issuer's are checked by their groups claim in the functions.
   */
  public readonly enforcesScopes: boolean;
  /** The pre token generation trigger that keeps the scopes of a person's role; only with the created pool. */
  public readonly tokenScopes?: PulsoFunction;
  private appClient?: UserPoolClient;

  /** The web app's client in the created user pool, once `signIn.clientFor` made it. */
  public get userPoolClient(): UserPoolClient | undefined {
    return this.appClient;
  }

  constructor(scope: Construct, id: string, props: AdminProps) {
    super(scope, id);

    if (Boolean(props.jwtIssuer) !== Boolean(props.jwtAudience?.length)) {
      throw new Error('Admin: jwtIssuer and jwtAudience must be given together');
    }
    if (props.jwtIssuer && props.jwtAudience) {
      this.authorizer = new HttpJwtAuthorizer('AdminJwt', props.jwtIssuer, {
        jwtAudience: props.jwtAudience,
      });
      this.signIn = ownIssuer(props.jwtIssuer, props.jwtAudience, props);
      this.groupsClaim = props.jwtGroupsClaim ?? 'groups';
      this.enforcesScopes = false;
    } else {
      if (props.jwtGroupsClaim) throw new Error('Admin: jwtGroupsClaim is for a jwtIssuer of your own');
      const pool = new UserPool(this, 'UserPool', {
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
        // Managed login needs Essentials (free for the first 10,000 monthly active users); pools made before
        // feature plans existed are Lite until told.
        featurePlan: FeaturePlan.ESSENTIALS,
        removalPolicy: props.userPoolRemovalPolicy ?? RemovalPolicy.RETAIN,
      });
      this.userPool = pool;
      this.userPoolDomain = pool.addDomain('SignInDomain', {
        // The prefix is unique across AWS in the region; the stack's GUID is, and says nothing about the account.
        cognitoDomain: {
          domainPrefix: props.cognitoDomainPrefix ?? `pulso-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
        },
        managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      });
      const scopes = jwtScopes().map((scope) => scopeOf(scope.slice(RESOURCE_SERVER.length + 1)));
      const server = pool.addResourceServer('ApiScopes', { identifier: RESOURCE_SERVER, scopes });
      this.resourceServer = server;
      // One group per role; precedence follows ROLES, so a person in two groups acts with the first.
      ROLES.forEach((role, precedence) => {
        pool.addGroup(`${role.charAt(0).toUpperCase()}${role.slice(1)}Group`, {
          groupName: role,
          description: ROLE_DESCRIPTIONS[role],
          precedence,
        });
      });
      this.tokenScopes = new PulsoFunction(this, 'TokenScopes', {
        entry: 'lambdas/handlers/token-scopes.ts',
        description: "Keeps in each access token only the scopes of the person's role (their Pulso group)",
        environment: { PULSO_SCOPES: jwtScopes().join(' ') },
      });
      pool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, this.tokenScopes, LambdaVersion.V2_0);
      this.groupsClaim = 'cognito:groups';
      this.enforcesScopes = true;
      // Same issuer that HttpUserPoolAuthorizer builds: the token's `iss` claim.
      const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${pool.userPoolId}`;
      this.authorizer = new HttpJwtAuthorizer('AdminJwt', issuer, {
        // Cognito access tokens name their client in `client_id` (they have no `aud`), which the authorizer
        // checks against these. The web app's client is made once its URL is known (signIn.clientFor).
        jwtAudience: Lazy.list({ produce: () => (this.appClient ? [this.appClient.userPoolClientId] : []) }),
      });
      this.node.addValidation({
        validate: () => (this.appClient ? [] : ['Admin: no web app client; call signIn.clientFor(appUrls)']),
      });
      const domain = this.userPoolDomain;
      this.signIn = {
        issuer,
        // Discovery is on the issuer's origin; the login pages and the token endpoint on the domain's.
        origins: [`https://cognito-idp.${Stack.of(this).region}.amazonaws.com`, domain.baseUrl()],
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE]
          .map((s) => s.scopeName)
          .concat(jwtScopes()),
        clientFor: (appUrls) => {
          if (this.appClient) throw new Error('Admin: the web app client is made once');
          const urls = [...appUrls, ...(props.callbackUrls ?? [])];
          this.appClient = pool.addClient('DashboardClient', {
            // A browser app cannot keep a secret: the authorization code flow with PKCE (web/src/auth.ts).
            generateSecret: false,
            authFlows: { userSrp: true },
            oAuth: {
              flows: { authorizationCodeGrant: true },
              scopes: [
                OAuthScope.OPENID,
                OAuthScope.EMAIL,
                OAuthScope.PROFILE,
                ...scopes.map((scope) => OAuthScope.resourceServer(server, scope)),
              ],
              callbackUrls: urls,
              logoutUrls: urls,
            },
            idTokenValidity: Duration.hours(1),
            accessTokenValidity: Duration.hours(1),
            preventUserExistenceErrors: true,
          });
          // Managed login shows "Login pages unavailable" to a client without a style: Cognito's own will do.
          new CfnManagedLoginBranding(this, 'LoginStyle', {
            userPoolId: pool.userPoolId,
            clientId: this.appClient.userPoolClientId,
            useCognitoProvidedValues: true,
          });
          return this.appClient.userPoolClientId;
        },
      };
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
    this.responses = new PulsoFunction(this, 'Responses', {
      entry: 'lambdas/handlers/responses.ts',
      description: 'Lists the responses with a comment, by date, segment, score band and words',
    }).bindTable(props.table, 'read');
    this.shareLinks = new PulsoFunction(this, 'ShareLinks', {
      entry: 'lambdas/handlers/share-links.ts',
      description:
        'Makes, lists and revokes share links; opens shared views of one place for people without an account',
    }).bindTable(props.table);
    this.cases = new PulsoFunction(this, 'Cases', {
      entry: 'lambdas/handlers/cases.ts',
      description: 'Lists cases; acknowledges, assigns, comments on, resolves, closes and reopens them',
    }).bindTable(props.table);

    this.plans = new PulsoFunction(this, 'Plans', {
      entry: 'lambdas/handlers/plans.ts',
      description: 'Keeps action plans and measures their impact before and after their start',
    }).bindTable(props.table);

    this.access = new PulsoFunction(this, 'Access', {
      entry: 'lambdas/handlers/access.ts',
      description: 'Tells a signed-in person their role, which decides what they may see and do',
    }).bindTable(props.table, 'read');
  }
}

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Everything, including access and the vendors' webhook secrets",
  analyst: "All figures and comments, and the programme's set-up; no access management",
  manager: 'The figures, comments and cases of their places; acts on those cases and their plans',
  viewer: 'Figures only: no comments, contacts or other personal data',
};

/** `cases.read` -> a scope described as "Read cases"; `cases.write` -> "Change cases". */
function scopeOf(name: string): ResourceServerScope {
  const [resource = name, access] = name.split('.');
  return new ResourceServerScope({
    scopeName: name,
    scopeDescription: `${access === 'read' ? 'Read' : 'Change'} ${resource}`,
  });
}

/** The deployer's OpenID provider: its issuer, the web app's client there, and the scopes to ask for. */
function ownIssuer(issuer: string, audience: readonly string[], props: AdminProps): WebAppSignIn {
  if (!URL.canParse(issuer)) throw new Error(`Admin: jwtIssuer must be a URL, not "${issuer}"`);
  const clientId = props.appClientId ?? audience[0] ?? '';
  return {
    issuer,
    // Most providers serve discovery and the token endpoint on the issuer's own origin.
    origins: [new URL(issuer).origin],
    scopes: props.appScopes ?? ['openid', 'email', 'profile'],
    // The deployer registers the app's URL as a redirect URI at their provider (docs/workspace.md).
    clientFor: () => clientId,
  };
}
