import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthPulso } from './support.ts';

interface Statement {
  Action: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
}

describe('Invitations', () => {
  const { template } = synthPulso();
  const fnWith = (entry: string) =>
    Object.entries(template.findResources('AWS::Lambda::Function')).find(
      ([, r]) => (r.Metadata as Record<string, string>)?.['pulso:entry'] === entry,
    )?.[0] ?? '';

  it('sends from a queue with a dead-letter queue, paced by a maximum concurrency and partial batch failures', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 720,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnWith('lambdas/handlers/sender.ts') },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SEND_RATE: '14', SENDER_CONCURRENCY: '2' }) },
    });
  });

  it('takes the send rate and concurrency from context, and refuses nonsense', () => {
    const { template: t } = synthPulso({ context: { sendRatePerSecond: '50', senderConcurrency: 5 } });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 5 } });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SEND_RATE: '50', SENDER_CONCURRENCY: '5' }) },
    });
    expect(() => synthPulso({ context: { senderConcurrency: 1 } })).toThrow(/senderConcurrency/);
    expect(() => synthPulso({ context: { sendRatePerSecond: 'fast' } })).toThrow(/sendRatePerSecond/);
  });

  it('publishes SES deliveries, bounces and complaints to an encrypted topic that feeds DeliveryEvents', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['delivery', 'bounce', 'complaint']),
        SnsDestination: { TopicARN: { Ref: Match.stringLikeRegexp('^InvitationsMailEventsTopic') } },
      }),
    });
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Pulso invitation email events',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: Match.stringLikeRegexp('^InvitationsMailEventsTopic') },
      Endpoint: { 'Fn::GetAtt': [fnWith('lambdas/handlers/delivery-events.ts'), 'Arn'] },
      RedrivePolicy: Match.anyValue(),
    });
    // SES may use the topic key.
    const keys = JSON.stringify(template.findResources('AWS::KMS::Key'));
    expect(keys).toContain('ses.amazonaws.com');
  });

  it('names the configuration set to the sender and lets it send SMS but publish to no topic', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          SES_CONFIGURATION_SET: { Ref: Match.stringLikeRegexp('^InvitationsMailEvents') },
          CAMPAIGN_QUEUE_URL: { Ref: Match.stringLikeRegexp('^InvitationsSendQueue') },
        }),
      },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const sms = statements.filter((s) => [s.Action].flat().includes('sns:Publish') && s.NotResource);
    // The sender, the API that opens a conversation, and the replies to inbound SMS: to phone numbers only.
    expect(sms).toHaveLength(3);
    for (const s of sms) expect(s).toEqual(expect.objectContaining({ NotResource: 'arn:aws:sns:*:*:*' }));
  });

  it("takes customers' SMS from an encrypted topic End User Messaging SMS of this account may publish to", () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Pulso inbound SMS',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sns:Publish',
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
          }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: Match.stringLikeRegexp('^InvitationsInboundSmsTopic') },
      Endpoint: { 'Fn::GetAtt': [fnWith('lambdas/handlers/sms-inbound.ts'), 'Arn'] },
      RedrivePolicy: Match.anyValue(),
    });
    template.hasOutput('InboundSmsTopicArn', {
      Value: { Ref: Match.stringLikeRegexp('^InvitationsInboundSmsTopic') },
    });
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).toContain('sms-voice.amazonaws.com');
  });

  it('sweeps reminders hourly, with a dead-letter queue for failed runs', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnWith('lambdas/handlers/reminders.ts'), 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: { MaximumRetryAttempts: 2 },
        }),
      ],
    });
  });

  it('sweeps quiet conversations every 5 minutes, with a dead-letter queue for failed runs', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnWith('lambdas/handlers/conversation-sweep.ts'), 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: { MaximumRetryAttempts: 2 },
        }),
      ],
    });
  });

  it('puts campaigns behind the admin authorizer and leaves the unsubscribe link public', () => {
    for (const route of [
      'POST /v1/campaigns',
      'GET /v1/campaigns',
      'GET /v1/campaigns/{campaignId}',
      'POST /v1/campaigns/{campaignId}/start',
      'GET /v1/campaigns/{campaignId}/reach',
      'GET /v1/numbers',
      'POST /v1/conversations',
    ]) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: route,
        AuthorizationType: 'JWT',
      });
    }
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    for (const key of ['GET /s/{surveyId}/unsubscribe', 'POST /s/{surveyId}/unsubscribe']) {
      const route = routes.find((r) => r.RouteKey === key);
      expect(route, key).toBeDefined();
      expect(route?.AuthorizationType ?? 'NONE').toBe('NONE');
    }
  });
});
