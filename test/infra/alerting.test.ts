import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthPulso } from './support.ts';

interface Statement {
  Action: string | string[];
  Resource: unknown;
}

function sendEmailStatements(policies: ReturnType<Template['findResources']>): Statement[] {
  return Object.values(policies)
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => [s.Action].flat().includes('ses:SendEmail'));
}

describe('Alerting', () => {
  const { template } = synthPulso();

  it('encrypts the alerts topic with a KMS key that rotates', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertingAlertsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('denies publishing to the alerts topic without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('^AlertingAlertsTopic') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets only the alerter, the escalation sweep and the aggregator (thresholds) publish alerts', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ALERTS_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^AlertingAlertsTopic') },
        }),
      },
    });
    const publishers = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some(
        (s) =>
          [s.Action].flat().includes('sns:Publish') &&
          (s.Resource === '*' || JSON.stringify(s.Resource ?? '').includes('AlertingAlertsTopic')),
      ),
    );
    expect(publishers.map((p) => JSON.stringify(p.Properties.Roles)).sort()).toEqual([
      expect.stringContaining('AggregationAggregatorRole'),
      expect.stringContaining('AlertingAlerterRole'),
      expect.stringContaining('AlertingEscalationsRole'),
    ]);
  });

  it('creates an SES identity for the default sender and tells the alerter to send from it', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'alerts@example.com' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAIL_FROM: 'alerts@example.com' }) },
    });
  });

  it('scopes ses:SendEmail to the configured identity, never to every resource', () => {
    // The alerter, the escalation sweep, the aggregator (threshold alerts), the reporter and the campaign sender
    // send from the same identity.
    const statements = sendEmailStatements(template.findResources('AWS::IAM::Policy'));
    expect(statements).toHaveLength(5);
    for (const statement of statements) {
      expect([statement.Resource].flat()).not.toContain('*');
      expect(JSON.stringify(statement.Resource)).toMatch(/:identity\/.*AlertingMailIdentity/);
    }
  });

  it('sends from an existing SES identity when sesIdentity is given', () => {
    const existing = synthPulso({ context: { sesIdentity: 'example.org', mailFrom: 'cx@example.org' } });
    existing.template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    const statements = sendEmailStatements(existing.template.findResources('AWS::IAM::Policy'));
    expect(JSON.stringify(statements.map((s) => s.Resource))).toContain(':identity/example.org');
    existing.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAIL_FROM: 'cx@example.org' }) },
    });
  });

  it('outputs the alerts topic ARN', () => {
    template.hasOutput('AlertsTopicArn', { Value: { Ref: Match.stringLikeRegexp('^AlertingAlertsTopic') } });
  });

  it('gives the alerter its hourly alert budget per owner, 10 by default or from context', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ALERTS_PER_OWNER_HOUR: '10' }) },
    });
    const lifted = synthPulso({ context: { alertsPerOwnerPerHour: '500' } });
    lifted.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ALERTS_PER_OWNER_HOUR: '500' }) },
    });
    expect(() => synthPulso({ context: { alertsPerOwnerPerHour: 0 } })).toThrow(/alertsPerOwnerPerHour/);
    expect(() => synthPulso({ context: { alertsPerOwnerPerHour: 1001 } })).toThrow(/from 1 to 1000/);
  });

  it('sweeps for due cases every 5 minutes, with a dead-letter queue for failed runs', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: { MaximumRetryAttempts: 2 } }),
      ],
    });
  });

  it("hands customers' follow-ups from the sweep to the campaign queue, and routes their page to the case links", () => {
    const sweep = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('AlertingEscalations'),
    );
    expect(sweep?.[1].Properties.Environment.Variables.CAMPAIGN_QUEUE_URL).toEqual({
      Ref: expect.stringMatching(/^InvitationsSendQueue/),
    });
    const senders = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some(
        (s) =>
          [s.Action].flat().includes('sqs:SendMessage') &&
          JSON.stringify(s.Resource ?? '').includes('InvitationsSendQueue'),
      ),
    );
    expect(JSON.stringify(senders.map((p) => p.Properties.Roles))).toContain('AlertingEscalationsRole');
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /c/{caseId}/follow-up',
      Target: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /c/{caseId}/follow-up' });
  });
});
