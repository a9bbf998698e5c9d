import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { logicalIdOf, synthPulso } from './support.ts';

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

  it('trusts the deployer issuer and creates no user pool when jwtIssuer and jwtAudience are given', () => {
    const external = synthPulso({
      context: { jwtIssuer: 'https://login.example.com/', jwtAudience: 'pulso-dashboard,pulso-cli' },
    });
    external.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://login.example.com/', Audience: ['pulso-dashboard', 'pulso-cli'] },
    });
    external.template.resourceCountIs('AWS::Cognito::UserPool', 0);
    expect(external.template.findOutputs('UserPoolId')).toEqual({});
  });

  it('refuses an issuer without an audience', () => {
    expect(() => synthPulso({ stackProps: { jwtIssuer: 'https://login.example.com/' } })).toThrow(
      /jwtIssuer and jwtAudience/,
    );
  });
});
