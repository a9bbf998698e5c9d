import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthPulso } from './support.ts';

const PUBLIC_ROUTES = [
  'GET /s/{surveyId}',
  'POST /s/{surveyId}',
  'POST /v1/responses',
  'POST /v1/webhooks/{source}',
];

describe('Capture', () => {
  const { template } = synthPulso();

  it.each(PUBLIC_ROUTES)('serves %s without an authorizer', (routeKey) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: routeKey,
      AuthorizationType: 'NONE',
      AuthorizerId: Match.absent(),
      Target: Match.anyValue(),
    });
  });

  it('throttles the default stage at 200 requests per second with a burst of 400', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
    });
  });

  it('throttles at the configured limits when the deployer sets them', () => {
    const custom = synthPulso({ stackProps: { throttle: { rateLimit: 50, burstLimit: 75 } } });
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 75 },
    });
  });

  it('throttles at the limits given as context, for a campaign bigger than the default serves', () => {
    const campaign = synthPulso({ context: { apiRateLimit: '2000', apiBurstLimit: 4000 } });
    campaign.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 2000, ThrottlingBurstLimit: 4000 },
    });
    const rateOnly = synthPulso({ context: { apiRateLimit: 1000 } });
    rateOnly.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 400 },
    });
    expect(() => synthPulso({ context: { apiRateLimit: 0 } })).toThrow(/apiRateLimit must be a whole number/);
  });

  it('writes JSON access logs to a log group kept one month', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CaptureAccessLogs'), 'Arn'] },
        Format: Match.serializedJson(
          Match.objectLike({ requestId: '$context.requestId', status: '$context.status' }),
        ),
      },
    });
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    const accessLogs = Object.entries(logGroups).find(([id]) => id.startsWith('CaptureAccessLogs'));
    expect(accessLogs?.[1].Properties.RetentionInDays).toBe(30);
  });

  it('answers CORS preflights for the JSON API', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['*'],
        AllowMethods: Match.arrayWith(['GET', 'POST', 'PUT']),
        AllowHeaders: Match.arrayWith(['content-type', 'authorization']),
      }),
    });
  });

  it('outputs the API URL ending in a slash', () => {
    template.hasOutput('ApiUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith(['https://', '/'])] },
    });
  });
});
