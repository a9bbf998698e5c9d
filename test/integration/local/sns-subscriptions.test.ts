import { ListSubscriptionsByTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import { passesFilterPolicy } from '#local/sns-deliveries.ts';
import { fixtureTemplate, localCredentials, startFixtureRuntime } from './support.ts';

let rt: Runtime;
let sns: SNSClient;

beforeAll(async () => {
  rt = await startFixtureRuntime({ template: fixtureTemplate('events-template.json') });
  sns = new SNSClient({ endpoint: rt.snsUrl, region: 'us-east-1', credentials: localCredentials });
});

afterAll(async () => {
  sns?.destroy();
  await rt?.stop();
});

/** SNS events a fixture function in `mode` received. */
function received(mode: string): SNSEvent[] {
  return rt
    .snsMessages()
    .filter((m) => m.subject === mode)
    .map((m) => JSON.parse(m.message) as SNSEvent);
}

function publishInvite(message: string, kind: string, attempt: number) {
  return sns.send(
    new PublishCommand({
      TopicArn: rt.topicArns.InvitesTopic,
      Message: message,
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: kind },
        attempt: { DataType: 'Number', StringValue: String(attempt) },
      },
    }),
  );
}

describe('local SNS to Lambda subscriptions', () => {
  it("invokes the subscribed function with SNS's event when a message is published to the topic", async () => {
    const published = await publishInvite('invite c1', 'invite', 1);

    await rt.idle();

    const record = received('invites').find((e) => e.Records[0]?.Sns.Message === 'invite c1')?.Records[0];
    expect(record).toMatchObject({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: expect.stringMatching(
        /^arn:aws:sns:us-east-1:000000000000:invites:[0-9a-f-]{36}$/,
      ),
      Sns: {
        Type: 'Notification',
        MessageId: published.MessageId,
        TopicArn: rt.topicArns.InvitesTopic,
        Subject: null,
        Message: 'invite c1',
        SignatureVersion: '1',
        MessageAttributes: {
          kind: { Type: 'String', Value: 'invite' },
          attempt: { Type: 'Number', Value: '1' },
        },
      },
    });
    expect(Date.parse(record?.Sns.Timestamp ?? '')).not.toBeNaN();
    expect(record?.Sns.Signature).toEqual(expect.any(String));
    expect(record?.Sns.SigningCertUrl).toMatch(/^https:\/\//);
    expect(record?.Sns.UnsubscribeUrl).toContain('Action=Unsubscribe');
  });

  it('delivers only the messages whose attributes pass the filter policy', async () => {
    await publishInvite('filtered: other kind', 'reminder', 1);
    await publishInvite('filtered: attempt 0', 'invite', 0);
    await sns.send(new PublishCommand({ TopicArn: rt.topicArns.InvitesTopic, Message: 'filtered: none' }));
    await publishInvite('passes', 'invite', 3);

    await rt.idle();

    const messages = received('invites').map((e) => e.Records[0]?.Sns.Message);
    expect(messages).toContain('passes');
    expect(messages.filter((m) => m?.startsWith('filtered'))).toEqual([]);
  });

  it('lists the template subscriptions through the SNS API', async () => {
    const out = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: rt.topicArns.InvitesTopic }));

    expect(out.Subscriptions).toEqual([
      expect.objectContaining({
        Protocol: 'lambda',
        Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:InviteHandlerE1',
      }),
    ]);
  });

  it('retries a failing function, then sends the invocation record to its on-failure queue and reports it', async () => {
    await sns.send(new PublishCommand({ TopicArn: rt.topicArns.FlakyTopic, Message: 'always fails' }));

    await rt.idle();

    // MaximumRetryAttempts 1 in the fixture's EventInvokeConfig: the first try and one retry.
    const tries = received('flaky').filter((e) => e.Records?.[0]?.Sns.Message === 'always fails');
    expect(tries).toHaveLength(2);
    expect(rt.asyncFailures()).toContainEqual(
      expect.objectContaining({
        functionName: 'FlakyE1',
        source: expect.stringContaining('sns:'),
        errorMessage: 'flaky by design',
        attempts: 2,
      }),
    );
    const sqs = await fetch(`${rt.sqsUrl}000000000000/${rt.queueNames.AsyncDlq}`);
    const queued = (await sqs.json()) as { messageList: { body: string }[] };
    expect(queued.messageList).toHaveLength(1);
    const record = JSON.parse(queued.messageList[0]?.body ?? '{}');
    expect(record).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 2 },
      requestPayload: { Records: [{ Sns: { Message: 'always fails' } }] },
      responseContext: { functionError: 'Unhandled' },
    });
  });

  it('delivers the messages that SES event publishing and handlers publish, counting them for idle()', async () => {
    const { messageId } = (await rt.invoke('Mailer', {
      api: 'raw',
      to: ['ana@example.com'],
      configurationSet: 'campaigns',
      subject: 'hi',
    })) as { messageId: string };

    await rt.idle();

    const types = received('ses-events')
      .map(
        (e) =>
          JSON.parse(e.Records[0]?.Sns.Message ?? '{}') as { eventType: string; mail: { messageId: string } },
      )
      .filter((r) => r.mail.messageId === messageId)
      .map((r) => r.eventType)
      .sort();
    expect(types).toEqual(['Delivery', 'Send']);
  });
});

describe('SNS filter policies', () => {
  const attrs = (values: Record<string, [string, string]>) => ({
    message: '{"kind":"invite","n":3}',
    messageAttributes: Object.fromEntries(
      Object.entries(values).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }]),
    ),
  });
  const cases: [string, Record<string, string>, ReturnType<typeof attrs>, boolean][] = [
    ['no policy', {}, attrs({}), true],
    ['exact string', { FilterPolicy: '{"kind":["invite"]}' }, attrs({ kind: ['String', 'invite'] }), true],
    ['other string', { FilterPolicy: '{"kind":["invite"]}' }, attrs({ kind: ['String', 'reminder'] }), false],
    ['missing attribute', { FilterPolicy: '{"kind":["invite"]}' }, attrs({}), false],
    ['numeric range', { FilterPolicy: '{"n":[{"numeric":[">",2]}]}' }, attrs({ n: ['Number', '3'] }), true],
    [
      'string array element',
      { FilterPolicy: '{"tags":["vip"]}' },
      attrs({ tags: ['String.Array', '["new","vip"]'] }),
      true,
    ],
    [
      'message body scope',
      { FilterPolicy: '{"n":[{"numeric":["<",3]}]}', FilterPolicyScope: 'MessageBody' },
      attrs({}),
      false,
    ],
  ];
  it.each(cases)('decides %s', (_name, attributes, message, expected) => {
    expect(passesFilterPolicy({ attributes }, message)).toBe(expected);
  });
});
