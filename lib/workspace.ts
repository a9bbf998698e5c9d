import { AssetHashType, DockerImage, Duration, Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  type HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { WebAppSignIn } from '#lib/admin.ts';
import { buildWebSync, WEB_DIR } from '../web/build.ts';
import { contentSecurityPolicy, HSTS_MAX_AGE_SECONDS, REFERRER_POLICY } from '../web/policy.ts';

export interface WorkspaceProps {
  /** The HTTP API, served under `/v1/*` on the app's own origin, so the app needs no CORS. */
  readonly api: IHttpApi;
  /** Where people sign in: written to `/app/config.json`, allowed in the app's connect-src. */
  readonly signIn: WebAppSignIn;
  /**
   * A domain name of the team's own for the app, e.g. `cx.example.com` (point it at the distribution).
   * Must be given together with `certificate`.
   * @default - the distribution's `*.cloudfront.net` name
   */
  readonly domainName?: string;
  /**
   * An ACM certificate for `domainName`, in us-east-1 (CloudFront's region).
   * @default - CloudFront's default certificate
   */
  readonly certificate?: ICertificate;
  /**
   * How long the distribution's and the bucket's access logs are kept (they hold viewers' addresses).
   * @default Duration.days(30)
   */
  readonly accessLogRetention?: Duration;
}

/**
 * Answers a viewer request as the local server does (local/web-app.ts): any path outside `/app/` goes to `/app/`,
 * and a path under `/app/` whose last part has no extension is one of the app's screens, so it gets
 * `/app/index.html` (the app routes itself). A path with an extension is taken for a file of the build.
 */
export const APP_ROUTES_FUNCTION = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (!uri.startsWith('/app/')) {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/app/' } } };
  }
  var last = uri.slice(uri.lastIndexOf('/') + 1);
  if (last.lastIndexOf('.') <= 0) request.uri = '/app/index.html';
  return request;
}`;

/**
 * The CX team's workspace on AWS: the web app's build in a private bucket behind a CloudFront distribution (origin
 * access control), HTTPS only, with `/v1/*` routed to the HTTP API on the same origin, the app's security headers
 * (web/policy.ts), and `/app/config.json` saying where people sign in. Each deploy replaces the build and
 * invalidates `/app/*`.
 */
export class Workspace extends Construct {
  /** The built app, under `app/`; readable only by the distribution. */
  public readonly bucket: Bucket;
  /** The distribution's and the bucket's access logs. */
  public readonly logBucket: Bucket;
  public readonly distribution: Distribution;
  /** The viewer-request function that sends the app's screens to its index.html. */
  public readonly appRoutes: CloudFrontFunction;
  public readonly headers: ResponseHeadersPolicy;
  public readonly deployment: BucketDeployment;
  /** The app's URL, `https://<domain>/app/`. */
  public readonly url: string;
  /** Every URL the app answers at (the custom domain's and the distribution's): its client's callback URLs. */
  public readonly urls: string[];
  /** The web app's OAuth client id. */
  public readonly clientId: string;
  /** Whether the app is on a domain of the team's own (else on the distribution's *.cloudfront.net name). */
  public readonly customDomain: boolean;

  constructor(scope: Construct, id: string, props: WorkspaceProps) {
    super(scope, id);

    if (Boolean(props.domainName) !== Boolean(props.certificate)) {
      throw new Error('Workspace: domainName and certificate must be given together');
    }
    this.customDomain = Boolean(props.domainName);
    const retention = props.accessLogRetention ?? Duration.days(30);

    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront's standard logs are written with an ACL: the bucket must accept them.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: retention }],
    });
    this.bucket = new Bucket(this, 'App', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'bucket/',
    });

    this.appRoutes = new CloudFrontFunction(this, 'AppRoutes', {
      code: FunctionCode.fromInline(APP_ROUTES_FUNCTION),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Pulso web app: / to /app/, the app screens to /app/index.html',
    });
    // CloudFront's names are per account, not per region: stacks of one name in two regions must not collide.
    const nameOf = (maxLength: number) =>
      `${Names.uniqueResourceName(this, { maxLength: maxLength - 15 })}-${Stack.of(this).region}`;
    this.headers = new ResponseHeadersPolicy(this, 'Headers', {
      responseHeadersPolicyName: nameOf(128),
      comment: 'Pulso web app: the headers of web/policy.ts',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.signIn.origins),
          override: true,
        },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICY as HeadersReferrerPolicy, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS),
          includeSubdomains: true,
          override: true,
        },
      },
    });

    const accessControl = new S3OriginAccessControl(this, 'AccessControl', {
      originAccessControlName: nameOf(64),
      description: 'Pulso web app: CloudFront signs its reads of the app bucket',
    });
    const app: BehaviorOptions = {
      origin: S3BucketOrigin.withOriginAccessControl(this.bucket, { originAccessControl: accessControl }),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: this.headers,
      functionAssociations: [{ function: this.appRoutes, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
    // `https://<id>.execute-api.<region>.amazonaws.com` -> its host name.
    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Pulso web app and its API',
      defaultBehavior: app,
      additionalBehaviors: {
        '/app/*': app,
        '/v1/*': {
          origin: new HttpOrigin(apiDomain),
          // An API client that posts over http gets a refusal, not a redirect that would drop its body.
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Every header (Authorization too) but Host, which API Gateway needs to be its own.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...(props.domainName && props.certificate
        ? {
            domainNames: [props.domainName],
            certificate: props.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'distribution/',
    });

    const defaultUrl = `https://${this.distribution.distributionDomainName}/app/`;
    this.url = props.domainName ? `https://${props.domainName}/app/` : defaultUrl;
    this.urls = props.domainName ? [this.url, defaultUrl] : [defaultUrl];
    // The client's callback URLs name the distribution, and nothing of the distribution names the client: no cycle.
    this.clientId = props.signIn.clientFor(this.urls);

    this.deployment = new BucketDeployment(this, 'Deploy', {
      sources: [
        Source.asset(WEB_DIR, {
          // Built with the local esbuild at synth, as the functions are; skipped when bundling is (tests, npm start).
          // Hashed by what the build gives: the app also bundles the catalogue's words from lambdas/views.
          assetHashType: AssetHashType.OUTPUT,
          bundling: {
            image: DockerImage.fromRegistry('never-used'),
            local: {
              tryBundle(outputDir) {
                buildWebSync(outputDir);
                return true;
              },
            },
          },
        }),
        Source.jsonData('config.json', {
          issuer: props.signIn.issuer,
          clientId: this.clientId,
          scopes: props.signIn.scopes.join(' '),
        }),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'app/',
      // The build's names carry no hash (main.js), so browsers ask again each time; unchanged files are a 304.
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/app/*'],
      logGroup: new LogGroup(this, 'DeployLogs', {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
  }
}
