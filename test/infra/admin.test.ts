import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { jwtScopes } from '#routes/index.ts';
import { ROLES } from '#routes/roles.ts';
import { contentSecurityPolicy } from '../../web/policy.ts';
import { deployedAppConfig, logicalIdOf, synthPulso } from './support.ts';

const ADMIN_ROUTES = [
  'GET /v1/surveys',
  'GET /v1/surveys/{surveyId}',
  'PUT /v1/surveys/{surveyId}',
  'POST /v1/surveys/{surveyId}/links',
  'PUT /v1/webhooks/{source}/secret',
  'GET /v1/surveys/{surveyId}/metrics',
  'GET /v1/cases',
  'GET /v1/cases/{caseId}',
  'POST /v1/cases/{caseId}/acknowledge',
  'POST /v1/cases/{caseId}/resolve',
  'POST /v1/contacts/import',
  'GET /v1/contacts/{contactId}',
  'DELETE /v1/contacts/{contactId}',
];

describe('Admin', () => {
  const { template, stack } = synthPulso();

  it.each(ADMIN_ROUTES)('guards %s with the JWT authorizer', (routeKey) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: routeKey,
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: Match.stringLikeRegexp('AdminJwt') },
    });
  });

  it('serves POST /v1/surveys/{surveyId}/links (signed links, QR codes) from the Surveys function', () => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route', {
      Properties: { RouteKey: 'POST /v1/surveys/{surveyId}/links' },
    });
    const target = Object.values(routes)[0]?.Properties?.Target?.['Fn::Join']?.[1]?.[1]?.Ref;
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    expect(integrations[target]?.Properties?.IntegrationUri).toEqual({
      'Fn::GetAtt': [logicalIdOf(stack.admin.surveys.node.defaultChild as CfnElement), 'Arn'],
    });
  });

  it('trusts tokens of the created user pool and its dashboard client by default', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: {
          'Fn::Join': [
            '',
            Match.arrayWith(['https://cognito-idp.', { Ref: Match.stringLikeRegexp('^AdminUserPool') }]),
          ],
        },
        Audience: [{ Ref: Match.stringLikeRegexp('^AdminUserPoolDashboardClient') }],
      },
    });
  });

  it('requires MFA and closes self sign-up on the created user pool', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    expect(template.findOutputs('UserPoolId')).toHaveProperty('UserPoolId');
  });

  it("gives the user pool a managed-login domain, prefixed pulso- and the stack's GUID unless told", () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: {
        'Fn::Join': ['', ['pulso-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]],
      },
      ManagedLoginVersion: 2,
      UserPoolId: { Ref: Match.stringLikeRegexp('^AdminUserPool') },
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS' });
    const named = synthPulso({ context: { cognitoDomainPrefix: 'acme-cx' } });
    named.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-cx' });
  });

  it("declares the resource server pulso with exactly the route table's scopes", () => {
    const [server] = Object.values(template.findResources('AWS::Cognito::UserPoolResourceServer'));
    const declared = (server?.Properties?.Scopes ?? []) as { ScopeName: string }[];
    const scopes = declared.map((s) => `pulso/${s.ScopeName}`);

    expect(server?.Properties?.Identifier).toBe('pulso');
    expect(scopes.sort()).toEqual(jwtScopes().sort());
    expect(scopes.length).toBeGreaterThan(10);
  });

  it('makes the web app client public, code grant only, called back and signed out at the distribution URL + /app/', () => {
    const appUrl = {
      'Fn::Join': [
        '',
        [
          'https://',
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkspaceDistribution'), 'DomainName'] },
          '/app/',
        ],
      ],
    };
    const server = Match.stringLikeRegexp('^AdminUserPoolApiScopes');
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [
        'openid',
        'email',
        'profile',
        ...jwtScopes().map((scope) => ({
          'Fn::Join': ['', [{ Ref: server }, scope.slice('pulso'.length)]],
        })),
      ],
      CallbackURLs: [appUrl],
      LogoutURLs: [appUrl],
    });
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      ClientId: { Ref: Match.stringLikeRegexp('^AdminUserPoolDashboardClient') },
      UseCognitoProvidedValues: true,
    });
  });

  it('registers further callback URLs of the web app client when the deployer gives them', () => {
    const dev = synthPulso({ stackProps: { callbackUrls: ['http://localhost:5173/app/'] } });
    dev.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.anyValue() }), 'http://localhost:5173/app/'],
    });
  });

  it('trusts the deployer issuer and creates no user pool when jwtIssuer and jwtAudience are given', () => {
    const external = synthPulso({
      context: { jwtIssuer: 'https://login.example.com/', jwtAudience: 'pulso-dashboard,pulso-cli' },
    });
    external.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://login.example.com/', Audience: ['pulso-dashboard', 'pulso-cli'] },
    });
    external.template.resourceCountIs('AWS::Cognito::UserPool', 0);
    external.template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    expect(external.template.findOutputs('UserPoolId')).toEqual({});
  });

  it("points the web app at the deployer's issuer and client, and lets it connect only there", () => {
    const external = synthPulso({
      context: {
        jwtIssuer: 'https://login.example.com/oauth2/default',
        jwtAudience: 'api://pulso',
        appClientId: 'pulso-web',
        appScopes: 'openid,profile,pulso.api',
      },
    });

    expect(deployedAppConfig(external)).toEqual({
      issuer: 'https://login.example.com/oauth2/default',
      clientId: 'pulso-web',
      scopes: 'openid profile pulso.api',
    });
    external.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: {
            ContentSecurityPolicy: contentSecurityPolicy(['https://login.example.com']),
            Override: true,
          },
        }),
      }),
    });
  });

  it("takes the first audience for the web app's client id at the deployer's issuer when appClientId is not given", () => {
    const external = synthPulso({
      context: { jwtIssuer: 'https://login.example.com/', jwtAudience: 'pulso-web,pulso-cli' },
    });

    expect(deployedAppConfig(external)).toMatchObject({
      clientId: 'pulso-web',
      scopes: 'openid email profile',
    });
  });

  it('makes one group per role, ordered by precedence as the roles are, when it creates the user pool', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => [
      g.Properties.GroupName,
      g.Properties.Precedence,
    ]);
    expect(groups).toEqual(ROLES.map((role, i) => [role, i]));
  });

  it("trims each access token to its role's scopes with a V2_0 pre token generation trigger", () => {
    const trigger = logicalIdOf(stack.admin.tokenScopes?.node.defaultChild as CfnElement);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreTokenGenerationConfig: {
          LambdaArn: { 'Fn::GetAtt': [trigger, 'Arn'] },
          LambdaVersion: 'V2_0',
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PULSO_SCOPES: jwtScopes().join(' ') }) },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [trigger, 'Arn'] },
      Principal: 'cognito-idp.amazonaws.com',
    });
  });

  it('keeps the groups claim for an issuer of your own, and makes no groups or trigger there', () => {
    const external = synthPulso({
      context: { jwtIssuer: 'https://login.example.com/', jwtAudience: 'pulso-web' },
    });
    expect(external.stack.admin.groupsClaim).toBe('groups');
    expect(external.stack.admin.tokenScopes).toBeUndefined();
    external.template.resourceCountIs('AWS::Cognito::UserPoolGroup', 0);
    expect(() => synthPulso({ context: { jwtGroupsClaim: 'roles' } })).toThrow(/jwtGroupsClaim/);
  });

  it('refuses an issuer without an audience', () => {
    expect(() => synthPulso({ stackProps: { jwtIssuer: 'https://login.example.com/' } })).toThrow(
      /jwtIssuer and jwtAudience/,
    );
  });
});
