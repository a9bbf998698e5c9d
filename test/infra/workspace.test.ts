import { mkdtempSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { describe, expect, it } from 'vitest';
import { APP_ROUTES_FUNCTION } from '#lib/workspace.ts';
import { serveWebApp } from '#local/web-app.ts';
import { jwtScopes } from '#routes/index.ts';
import { contentSecurityPolicy, HSTS_MAX_AGE_SECONDS, REFERRER_POLICY } from '../../web/policy.ts';
import { dependencyCycle, deployedAppConfig, logicalIdOf, synthPulso } from './support.ts';

interface EdgeRequest {
  uri: string;
}
type EdgeAnswer = EdgeRequest | { statusCode: number; headers: { location: { value: string } } };

/** The CloudFront Function's handler, run as CloudFront runs it: on a viewer request. */
const appRoutes = new Function(`${APP_ROUTES_FUNCTION}; return handler;`)() as (event: {
  request: EdgeRequest;
}) => EdgeAnswer;

const LOCAL_ISSUER = 'http://127.0.0.1:4000';

/** What the local server answers for a path: a redirect's location or the file of the build it sends, and its CSP. */
function localAnswer(
  dir: string,
  path: string,
): { answer: { redirect?: string; body?: string }; csp: string } {
  let status = 0;
  let headers: Record<string, string> = {};
  let body = '';
  const res = {
    writeHead(code: number, sent: Record<string, string> = {}) {
      status = code;
      headers = sent;
      return res;
    },
    end(chunk?: Buffer | string) {
      body = chunk ? String(chunk) : '';
    },
  };
  serveWebApp({ dir, config: { issuer: LOCAL_ISSUER } }, 'GET', path, res as unknown as ServerResponse);
  return {
    answer: status === 301 ? { redirect: headers.location } : { body },
    csp: headers['content-security-policy'] ?? '',
  };
}

describe('Workspace', () => {
  const pulso = synthPulso();
  const { template, stack } = pulso;
  const ws = stack.workspace;
  const bucketId = logicalIdOf(ws.bucket.node.defaultChild as CfnElement);
  const distributionId = logicalIdOf(ws.distribution.node.defaultChild as CfnElement);
  const distribution = () =>
    Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties
      ?.DistributionConfig as {
      Origins: { Id: string; DomainName: unknown }[];
      CacheBehaviors: { PathPattern: string; TargetOriginId: string }[];
      DefaultCacheBehavior: { TargetOriginId: string };
    };
  const originOf = (targetId: string) => distribution().Origins.find((o) => o.Id === targetId);

  it('keeps the app in a private, encrypted, TLS-only bucket without website hosting', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        WebsiteConfiguration: Match.absent(),
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'bucket/' }),
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets only the distribution read the bucket, through origin access control', () => {
    const [policy] = Object.values(
      template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }),
    );
    const allows = (
      policy?.Properties?.PolicyDocument?.Statement as { Effect: string }[] | undefined
    )?.filter((s) => s.Effect === 'Allow');

    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: distributionId },
                ],
              ],
            },
          },
        },
      },
    ]);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
    const appOrigin = originOf(distribution().DefaultCacheBehavior.TargetOriginId);
    expect(appOrigin?.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    const [accessControlId] = Object.keys(template.findResources('AWS::CloudFront::OriginAccessControl'));
    expect(appOrigin).toMatchObject({
      OriginAccessControlId: { 'Fn::GetAtt': [accessControlId, 'Id'] },
      // No origin access identity, the legacy way.
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
  });

  it('sends /v1/* to the API on the same origin, uncached, with every method and every header but Host', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        HttpVersion: 'http2and3',
        CacheBehaviors: Match.arrayWith([
          Match.objectLike({
            PathPattern: '/v1/*',
            AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
            CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
            OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
            ViewerProtocolPolicy: 'https-only',
          }),
        ]),
      }),
    });
    const v1 = distribution().CacheBehaviors.find((b) => b.PathPattern === '/v1/*');
    const api = originOf(v1?.TargetOriginId ?? '');
    expect(JSON.stringify(api?.DomainName)).toContain(
      logicalIdOf(stack.capture.api.node.defaultChild as CfnElement),
    );
  });

  it('serves / and /app/* from the bucket over https, through the app routes function, with the app headers', () => {
    const app = {
      TargetOriginId: distribution().DefaultCacheBehavior.TargetOriginId,
      ViewerProtocolPolicy: 'redirect-to-https',
      CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId,
      ResponseHeadersPolicyId: { Ref: logicalIdOf(ws.headers.node.defaultChild as CfnElement) },
      FunctionAssociations: [
        {
          EventType: 'viewer-request',
          FunctionARN: {
            'Fn::GetAtt': [logicalIdOf(ws.appRoutes.node.defaultChild as CfnElement), 'FunctionARN'],
          },
        },
      ],
    };
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike(app),
        CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: '/app/*', ...app })]),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: APP_ROUTES_FUNCTION,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
  });

  it.each([
    ['/', { statusCode: 301, location: '/app/' }],
    ['/cases', { statusCode: 301, location: '/app/' }],
    ['/app', { statusCode: 301, location: '/app/' }],
    ['/app/', { uri: '/app/index.html' }],
    ['/app/cases/42', { uri: '/app/index.html' }],
    ['/app/main.js', { uri: '/app/main.js' }],
    ['/app/config.json', { uri: '/app/config.json' }],
  ])('routes the viewer request for %s as the app expects', (uri, expected) => {
    const answer = appRoutes({ request: { uri } });

    expect(
      'statusCode' in answer
        ? { statusCode: answer.statusCode, location: answer.headers.location.value }
        : { uri: answer.uri },
    ).toEqual(expected);
  });

  it('answers every /app path as the local server does (a redirect, a screen, or a file of the build)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulso-app-'));
    writeFileSync(join(dir, 'index.html'), 'index.html');
    writeFileSync(join(dir, 'main.js'), 'main.js');
    const paths = ['/app', '/app/', '/app/cases/42', '/app/surveys/demo/', '/app/main.js'];

    const edge = paths.map((uri) => {
      const answer = appRoutes({ request: { uri } });
      return 'statusCode' in answer
        ? { redirect: answer.headers.location.value }
        : { body: answer.uri.slice('/app/'.length) };
    });

    expect(edge).toEqual(paths.map((path) => localAnswer(dir, path).answer));
  });

  it('adds the headers of web/policy.ts: the CSP naming the sign-in origins, nosniff, no-referrer and HSTS', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: {
            ContentSecurityPolicy: stack.resolve(contentSecurityPolicy(stack.admin.signIn.origins)),
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          ReferrerPolicy: { ReferrerPolicy: REFERRER_POLICY, Override: true },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
            IncludeSubdomains: true,
            Override: true,
          },
        },
      }),
    });
    const csp = JSON.stringify(stack.resolve(contentSecurityPolicy(stack.admin.signIn.origins)));
    expect(csp).toContain('https://cognito-idp.');
    expect(localAnswer(mkdtempSync(join(tmpdir(), 'pulso-app-')), '/app/config.json').csp).toBe(
      contentSecurityPolicy([LOCAL_ISSUER]),
    );
    expect(csp).toContain(logicalIdOf(stack.admin.userPoolDomain?.node.defaultChild as CfnElement));
  });

  it('deploys the build and config.json (issuer, client id, scopes) under app/ and invalidates /app/*', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: bucketId },
      DestinationBucketKeyPrefix: 'app/',
      Prune: true,
      DistributionId: { Ref: distributionId },
      DistributionPaths: ['/app/*'],
    });

    const config = deployedAppConfig(pulso);

    expect(config).toEqual({
      issuer: {
        'Fn::Join': [
          '',
          [
            'https://cognito-idp.',
            { Ref: 'AWS::Region' },
            '.amazonaws.com/',
            { Ref: logicalIdOf(stack.admin.userPool?.node.defaultChild as CfnElement) },
          ],
        ],
      },
      clientId: { Ref: logicalIdOf(stack.admin.userPoolClient?.node.defaultChild as CfnElement) },
      scopes: ['openid', 'email', 'profile', ...jwtScopes()].join(' '),
    });
  });

  it('keeps the access logs of the distribution and of the bucket for 30 days', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Logging: {
          Bucket: {
            'Fn::GetAtt': [logicalIdOf(ws.logBucket.node.defaultChild as CfnElement), 'RegionalDomainName'],
          },
          Prefix: 'distribution/',
        },
      }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, Status: 'Enabled' }] },
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicPolicy: true }),
    });
  });

  it("outputs the app's URL on the distribution's domain", () => {
    expect(template.findOutputs('AppUrl').AppUrl?.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/app/']],
    });
  });

  it('has no circular dependency: the client names the distribution, nothing the distribution needs names the client', () => {
    expect(dependencyCycle(template)).toBeUndefined();
  });

  it('serves a custom domain with its certificate and TLS 1.2 when appDomainName and appCertificateArn are given', () => {
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
    const custom = synthPulso({
      context: { appDomainName: 'cx.example.com', appCertificateArn: certificate },
    });

    custom.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['cx.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: certificate,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
    expect(custom.template.findOutputs('AppUrl').AppUrl?.Value).toBe('https://cx.example.com/app/');
    expect(custom.template.findOutputs('AppDistributionDomainName').AppDistributionDomainName?.Value).toEqual(
      {
        'Fn::GetAtt': [
          logicalIdOf(custom.stack.workspace.distribution.node.defaultChild as CfnElement),
          'DomainName',
        ],
      },
    );
    custom.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://cx.example.com/app/', Match.objectLike({ 'Fn::Join': Match.anyValue() })],
    });
  });

  it('refuses a custom domain without its certificate', () => {
    expect(() => synthPulso({ context: { appDomainName: 'cx.example.com' } })).toThrow(
      /appDomainName and appCertificateArn/,
    );
  });
});
