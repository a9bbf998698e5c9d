import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Resolver, readStack, synthesizeTemplate } from '#local/template/index.ts';
import { fixtureTemplate } from './support.ts';

const local = {
  apiUrl: 'http://127.0.0.1:3000/',
  sqsUrl: 'http://127.0.0.1:9912/',
  streamArns: {
    TableFixture0A1B2C3D: 'arn:aws:dynamodb:ddblocal:000000000000:table/TableFixture0A1B2C3D/stream/x',
  },
};

describe('Resolver', () => {
  const resolver = new Resolver(fixtureTemplate(), local);

  it.each([
    ['a table Ref to its local name', { Ref: 'TableFixture0A1B2C3D' }, 'TableFixture0A1B2C3D'],
    [
      'a table StreamArn to the local stream',
      { 'Fn::GetAtt': ['TableFixture0A1B2C3D', 'StreamArn'] },
      local.streamArns.TableFixture0A1B2C3D,
    ],
    [
      'a topic Ref to its local ARN',
      { Ref: 'AlertsTopicFixtureA1B2C3' },
      'arn:aws:sns:us-east-1:000000000000:AlertsTopicFixtureA1B2C3',
    ],
    [
      'a queue Arn to its local ARN',
      { 'Fn::GetAtt': ['RecorderDlqFixture1234', 'Arn'] },
      'arn:aws:sqs:us-east-1:000000000000:RecorderDlqFixture1234',
    ],
    [
      'a queue Ref and QueueUrl to its URL on the local SQS engine',
      {
        'Fn::Join': [
          '|',
          [{ Ref: 'RecorderDlqFixture1234' }, { 'Fn::GetAtt': ['RecorderDlqFixture1234', 'QueueUrl'] }],
        ],
      },
      'http://127.0.0.1:9912/000000000000/RecorderDlqFixture1234|http://127.0.0.1:9912/000000000000/RecorderDlqFixture1234',
    ],
    [
      'pseudo parameters',
      {
        'Fn::Join': [
          '|',
          [
            { Ref: 'AWS::Region' },
            { Ref: 'AWS::AccountId' },
            { Ref: 'AWS::Partition' },
            { Ref: 'AWS::URLSuffix' },
          ],
        ],
      },
      'us-east-1|000000000000|aws|amazonaws.com',
    ],
    [
      'Fn::Sub with resource and pseudo references',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
      { 'Fn::Sub': '${AWS::Region}/${TableFixture0A1B2C3D}/${!Literal}' },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
      'us-east-1/TableFixture0A1B2C3D/${Literal}',
    ],
    [
      'Fn::Sub with its own variables',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
      { 'Fn::Sub': ['${A}-${AWS::AccountId}', { A: { Ref: 'TableFixture0A1B2C3D' } }] },
      'TableFixture0A1B2C3D-000000000000',
    ],
    ['Fn::Select over Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'b'],
    [
      'the HTTP API URL join to the local API URL',
      {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: 'ApiFixtureF00D' },
            '.execute-api.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
            '/',
          ],
        ],
      },
      'http://127.0.0.1:3000/',
    ],
    [
      'an HTTP API URL join with a path to the local URL and path',
      {
        'Fn::Join': [
          '',
          ['https://', { Ref: 'ApiFixtureF00D' }, '.execute-api.us-east-1.amazonaws.com/s/demo'],
        ],
      },
      'http://127.0.0.1:3000/s/demo',
    ],
  ])('resolves %s', (_name, value, expected) => {
    expect(resolver.resolve(value)).toBe(expected);
  });
});

describe('readStack', () => {
  it('reads functions, routes and mappings from the fixture template when the engines are known', () => {
    const model = readStack(fixtureTemplate());

    const http = model.functions(local).find((f) => f.constructId === 'Http');
    expect(http).toMatchObject({
      handlerExport: 'handler',
      timeoutSeconds: 2,
      memoryMb: 256,
      environment: {
        PUBLIC_URL: 'http://127.0.0.1:3000/',
        SELECTED: 'b',
        TABLE_NAME: 'TableFixture0A1B2C3D',
      },
    });
    expect(existsSync(http?.entry ?? '')).toBe(true);
    expect(model.routes.find((r) => r.routeKey === 'GET /admin/{action}')?.authorization).toBe('JWT');
    expect(model.tables[0]?.createTable).toMatchObject({
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      GlobalSecondaryIndexes: [{ IndexName: 'gsi1' }],
    });
    expect(model.tables[0]?.ttlAttribute).toBe('expiresAt');
    const thrower = model.mappings(local).find((m) => m.functionId === 'ThrowerFixtureFn');
    expect(thrower).toMatchObject({
      batchSize: 4,
      maxRetryAttempts: 1,
      bisectOnError: true,
      reportBatchItemFailures: true,
      onFailureArn: 'arn:aws:sqs:us-east-1:000000000000:ThrowerDlqFixture1234',
      streamArn: local.streamArns.TableFixture0A1B2C3D,
    });
  });

  it('leaves out a custom resource handler without a warning, since it runs only while CloudFormation deploys', () => {
    const fixture = fixtureTemplate();
    const template = {
      ...fixture,
      Resources: {
        ...fixture.Resources,
        DeployHandlerFixture: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
        DeployFixture: {
          Type: 'Custom::CDKBucketDeployment',
          Properties: { ServiceToken: { 'Fn::GetAtt': ['DeployHandlerFixture', 'Arn'] } },
        },
      },
    };

    const model = readStack(template);
    const functions = model.functions(local);

    expect(functions.map((f) => f.logicalId)).not.toContain('DeployHandlerFixture');
    expect(functions.map((f) => f.constructId)).toContain('Http');
    expect(model.warnings.filter((w) => w.includes('DeployHandlerFixture'))).toEqual([]);
  });

  it('finds every function entry and both stream consumers when it reads the stack synthesized from lib/', async () => {
    const template = await synthesizeTemplate();
    const model = readStack(template);
    const tableId = model.tables[0]?.logicalId ?? '';
    const functions = model.functions({
      apiUrl: 'http://127.0.0.1:3000/',
      streamArns: { [tableId]: 'arn:stream' },
    });

    expect(functions.map((f) => f.constructId).sort()).toEqual(
      [
        'Access',
        'Aggregator',
        'Alerter',
        'Campaigns',
        'ContactFlow',
        'ConversationSweep',
        'CaseLinks',
        'Cases',
        'Contacts',
        'DeliveryEvents',
        'Escalations',
        'Exporter',
        'Exports',
        'Metrics',
        'Plans',
        'Reminders',
        'Reporter',
        'Responses',
        'Sender',
        'ShareLinks',
        'SmsInbound',
        'SubmitResponse',
        'SurveyPage',
        'Surveys',
        'TokenScopes',
        'Trainer',
        'Webhook',
      ].sort(),
    );
    for (const fn of functions) {
      expect(existsSync(fn.entry), fn.entry).toBe(true);
      expect(fn.environment.PUBLIC_URL).toBe('http://127.0.0.1:3000/');
    }
    const mappings = model.mappings({
      apiUrl: 'http://127.0.0.1:3000/',
      streamArns: { [tableId]: 'arn:stream' },
    });
    expect(mappings).toHaveLength(2);
    expect(model.queues.map((q) => q.constructId)).toEqual(
      expect.arrayContaining(['AggregatorDlq', 'AlerterDlq']),
    );
    // Campaign sending: SES events reach a function through SNS, and reminders run on a schedule.
    const byId = (id: string | undefined) => functions.find((f) => f.logicalId === id)?.constructId;
    const mailTopics = model.configurationSets.flatMap((c) => c.eventDestinations.map((d) => d.topicArn));
    const subscribed = model.subscriptions.filter((s) => mailTopics.includes(s.topicArn));
    expect(subscribed.map((s) => byId(s.functionId))).toEqual(['DeliveryEvents']);
    expect(
      model.rules.map((r) => [r.scheduleExpression, r.targets.map((t) => byId(t.functionId))]).sort(),
    ).toEqual([
      ['cron(30 3 * * ? *)', ['Trainer']],
      ['rate(1 hour)', ['Reminders']],
      ['rate(1 hour)', ['Reporter']],
      ['rate(5 minutes)', ['ConversationSweep']],
      ['rate(5 minutes)', ['Escalations']],
    ]);
    expect(model.queues[0]?.attributes).toMatchObject({ MessageRetentionPeriod: '1209600' });
    expect(model.warnings).toEqual([]);
  }, 60_000);
});
