import { Match } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { logicalIdOf, synthPulso } from './support.ts';

const ENTRIES = [
  'lambdas/handlers/survey-page.ts',
  'lambdas/handlers/submit-response.ts',
  'lambdas/handlers/webhook.ts',
  'lambdas/handlers/case-links.ts',
  'lambdas/handlers/contact-flow.ts',
  'lambdas/handlers/surveys.ts',
  'lambdas/handlers/metrics.ts',
  'lambdas/handlers/responses.ts',
  'lambdas/handlers/exports.ts',
  'lambdas/handlers/exporter.ts',
  'lambdas/handlers/share-links.ts',
  'lambdas/handlers/cases.ts',
  'lambdas/handlers/plans.ts',
  'lambdas/handlers/aggregator.ts',
  'lambdas/handlers/alerter.ts',
  'lambdas/handlers/escalations.ts',
  'lambdas/handlers/reporter.ts',
  'lambdas/handlers/trainer.ts',
  'lambdas/handlers/contacts.ts',
  'lambdas/handlers/campaigns.ts',
  'lambdas/handlers/sender.ts',
  'lambdas/handlers/delivery-events.ts',
  'lambdas/handlers/reminders.ts',
  'lambdas/handlers/sms-inbound.ts',
  'lambdas/handlers/conversation-sweep.ts',
  'lambdas/handlers/access.ts',
  'lambdas/handlers/token-scopes.ts',
];

/** Cognito's pre token generation trigger reads nothing but the event: no table. */
const WITHOUT_TABLE = ['lambdas/handlers/token-scopes.ts'];

const LONG_RUNNING: Record<string, number> = {
  // Amazon Connect waits 8 seconds at most.
  'lambdas/handlers/contact-flow.ts': 8,
  'lambdas/handlers/sender.ts': 120,
  'lambdas/handlers/reminders.ts': 300,
  'lambdas/handlers/escalations.ts': 120,
  'lambdas/handlers/conversation-sweep.ts': 120,
  'lambdas/handlers/reporter.ts': 300,
  'lambdas/handlers/trainer.ts': 900,
  // Lambda's limit: an export reads the whole table.
  'lambdas/handlers/exporter.ts': 900,
};

/** The exporter streams rows into 5 MB parts, the trainer learns from 20,000 comments a language: more memory, and its CPU. */
const MEMORY: Record<string, number> = {
  'lambdas/handlers/exporter.ts': 1024,
  'lambdas/handlers/trainer.ts': 2048,
};

describe('PulsoStack functions', () => {
  const { stack, template } = synthPulso();
  const resources = template.toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>;

  it.each(ENTRIES)('runs %s on Node.js 24 arm64 with active tracing', (entry) => {
    template.hasResource('AWS::Lambda::Function', {
      Metadata: { 'pulso:entry': entry },
      Properties: Match.objectLike({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: MEMORY[entry] ?? 512,
        // Senders pace themselves to the SES rate and the reminder sweep pages whole campaigns: they need longer.
        Timeout: LONG_RUNNING[entry] ?? 10,
      }),
    });
  });

  it.each(ENTRIES.filter((e) => !WITHOUT_TABLE.includes(e)))(
    'gives %s the table, the public URL and the Powertools settings',
    (entry) => {
      template.hasResource('AWS::Lambda::Function', {
        Metadata: { 'pulso:entry': entry },
        Properties: Match.objectLike({
          Environment: {
            Variables: Match.objectLike({
              TABLE_NAME: { Ref: Match.stringLikeRegexp('^DataTable') },
              PUBLIC_URL: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
              POWERTOOLS_SERVICE_NAME: 'pulso',
              LOG_LEVEL: 'INFO',
            }),
          },
        }),
      });
    },
  );

  it.each(WITHOUT_TABLE)('gives %s no table', (entry) => {
    template.hasResource('AWS::Lambda::Function', {
      Metadata: { 'pulso:entry': entry },
      Properties: Match.objectLike({
        Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.absent() }) },
      }),
    });
  });

  it('keeps every function log in its own log group for one month', () => {
    expect(stack.functions).toHaveLength(ENTRIES.length);
    for (const fn of stack.functions) {
      const config = resources[logicalIdOf(fn.node.defaultChild as CfnFunction)]?.Properties.LoggingConfig as
        | { LogGroup: { Ref: string } }
        | undefined;
      const logGroup = resources[config?.LogGroup.Ref ?? '']?.Properties;
      expect(logGroup?.RetentionInDays, fn.node.path).toBe(30);
    }
  });

  it.each(['metrics', 'responses'] as const)('grants the %s function read-only table access', (fn) => {
    const role = stack.admin[fn].role;
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
      JSON.stringify(p.Properties.Roles).includes(logicalIdOf(role?.node.defaultChild as CfnRole)),
    );
    const actions = JSON.stringify(policy?.Properties.PolicyDocument.Statement);
    expect(actions).toContain('dynamodb:Query');
    expect(actions).toContain('dynamodb:BatchGetItem');
    expect(actions).not.toContain('dynamodb:PutItem');
  });
});
