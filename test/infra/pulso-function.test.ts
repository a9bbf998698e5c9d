import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { PulsoFunction, type PulsoFunctionProps } from '#lib/pulso-function.ts';
import { NO_BUNDLING } from './support.ts';

const FIXTURE = 'test/infra/fixtures/sdk-handler.ts';

function stackWith(props: Partial<PulsoFunctionProps> = {}): { stack: Stack; fn: PulsoFunction } {
  const stack = new Stack(new App({ context: NO_BUNDLING }), 'Test');
  const fn = new PulsoFunction(stack, 'Fn', { entry: FIXTURE, ...props });
  return { stack, fn };
}

/** Synthesizes with esbuild for real and returns the bundled index.mjs. */
function bundle(props: Partial<PulsoFunctionProps> = {}): string {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'pulso-fn-')) });
  new PulsoFunction(new Stack(app, 'Bundled'), 'Fn', { entry: FIXTURE, ...props });
  const dir = app.synth().directory;
  const asset = readdirSync(dir).find((name) => name.startsWith('asset.'));
  if (!asset) throw new Error(`no asset in ${dir}`);
  return readFileSync(join(dir, asset, 'index.mjs'), 'utf8');
}

describe('PulsoFunction', () => {
  it('runs Node.js 24 on arm64 with tracing, 512 MB and 10 s when no sizes are given', () => {
    const { stack } = stackWith();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 512,
      Timeout: 10,
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'pulso', LOG_LEVEL: 'INFO' }) },
    });
  });

  it('uses the timeout, memory and log retention it is given', () => {
    const { stack } = stackWith({
      timeout: Duration.seconds(30),
      memorySize: 1024,
      logRetention: RetentionDays.ONE_WEEK,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 30, MemorySize: 1024 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('logs to its own log group kept one month when no retention is given', () => {
    const { stack } = stackWith();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^FnLogGroup') } },
    });
  });

  it('records its entry file in the template metadata', () => {
    const { stack } = stackWith();
    Template.fromStack(stack).hasResource('AWS::Lambda::Function', { Metadata: { 'pulso:entry': FIXTURE } });
  });

  it('uses its own role without AWS managed policies', () => {
    const { stack } = stackWith();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnLogGroup'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('grants only read actions and sets TABLE_NAME when bound to a table for reading', () => {
    const { stack, fn } = stackWith();
    const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    fn.bindTable(table, 'read');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TABLE_NAME: { Ref: Match.stringLikeRegexp('^Table') } }) },
    });
    const statements = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(statements).toContain('dynamodb:GetItem');
    expect(statements).not.toContain('dynamodb:PutItem');
  });

  it('grants writes too when bound to a table without an access level', () => {
    const { stack, fn } = stackWith();
    fn.bindTable(new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } }));
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'))).toContain(
      'dynamodb:PutItem',
    );
  });

  it('grants publish and sets ALERTS_TOPIC_ARN when bound to a topic', () => {
    const { stack, fn } = stackWith();
    fn.bindTopic(new Topic(stack, 'Topic'));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: Match.stringLikeRegexp('^Topic') } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ ALERTS_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^Topic') } }),
      },
    });
  });

  it('grants SendEmail on the identity only and sets MAIL_FROM when bound to a mailer', () => {
    const { stack, fn } = stackWith();
    fn.bindMailer(
      new EmailIdentity(stack, 'Identity', { identity: Identity.email('a@example.com') }),
      'a@example.com',
    );
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ses:SendEmail', 'ses:SendRawEmail'],
            Resource: {
              'Fn::Join': ['', Match.arrayWith([':identity/', { Ref: Match.stringLikeRegexp('^Identity') }])],
            },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAIL_FROM: 'a@example.com' }) },
    });
  });

  it('bundles an ESM module with a require shim and a source map when synthesized for real', () => {
    const code = bundle();
    expect(code.startsWith("import { createRequire as __pulsoCreateRequire } from 'node:module';")).toBe(
      true,
    );
    expect(code).toContain('sourceMappingURL=index.mjs.map');
    expect(code).toMatch(/export\s*\{/);
  });

  it('bundles @aws-sdk/* instead of relying on the runtime SDK by default', () => {
    expect(bundle()).not.toMatch(/from\s*["']@aws-sdk\//);
  });

  it('leaves @aws-sdk/* to the runtime when externalAwsSdk is set', () => {
    expect(bundle({ externalAwsSdk: true })).toMatch(/from\s*["']@aws-sdk\/util-dynamodb["']/);
  });
});
