import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import { fixtureTemplate, localCredentials, startFixtureRuntime } from './support.ts';

interface SesRecord {
  eventType: string;
  mail: {
    messageId: string;
    source: string;
    destination: string[];
    headersTruncated: boolean;
    headers: { name: string; value: string }[];
    commonHeaders: Record<string, unknown>;
    tags: Record<string, string[]>;
    sendingAccountId: string;
  };
  send?: object;
  delivery?: { recipients: string[]; smtpResponse: string; processingTimeMillis: number; timestamp: string };
  bounce?: {
    bounceType: string;
    bounceSubType: string;
    bouncedRecipients: { emailAddress: string; action: string; status: string; diagnosticCode: string }[];
    feedbackId: string;
  };
  complaint?: { complainedRecipients: { emailAddress: string }[]; complaintFeedbackType: string };
}

let rt: Runtime;

beforeAll(async () => {
  rt = await startFixtureRuntime({ template: fixtureTemplate('events-template.json') });
});

afterAll(async () => {
  await rt?.stop();
});

function send(event: {
  api: 'raw' | 'formatted';
  to: string[];
  configurationSet?: string;
  tags?: Record<string, string>;
  subject?: string;
}): Promise<{ messageId: string }> {
  return rt.invoke('Mailer', { subject: 'How was your visit?', ...event }) as Promise<{ messageId: string }>;
}

/** SES event records of one message as published to the SES events topic, in publish order. */
function publishedFor(messageId: string): SesRecord[] {
  const topic = rt.topicArns.SesEventsTopic;
  return rt
    .snsMessages()
    .filter((m) => m.topicArn === topic)
    .map((m) => JSON.parse(m.message) as SesRecord)
    .filter((r) => r.mail.messageId === messageId);
}

/** SES event records the SesEvents function received for one message (invocations may end in any order). */
function eventsFor(messageId: string): SesRecord[] {
  const order = ['Send', 'Delivery', 'Bounce', 'Complaint'];
  return rt
    .snsMessages()
    .filter((m) => m.subject === 'ses-events')
    .map((m) => JSON.parse(m.message) as SNSEvent)
    .map((e) => JSON.parse(e.Records[0]?.Sns.Message ?? '{}') as SesRecord)
    .filter((r) => r.mail.messageId === messageId)
    .sort((a, b) => order.indexOf(a.eventType) - order.indexOf(b.eventType));
}

describe('local SES event publishing', () => {
  it('publishes Send, Delivery and Complaint with the tags and headers when a raw mail goes to the complaint simulator', async () => {
    const { messageId } = await send({
      api: 'raw',
      to: ['complaint@simulator.amazonses.com'],
      configurationSet: 'campaigns',
      tags: { campaign: 'spring', invitation: 'spring.c1' },
      subject: '¿Cómo fue tu visita?',
    });

    await rt.idle();

    expect(publishedFor(messageId).map((r) => r.eventType)).toEqual(['Send', 'Delivery', 'Complaint']);
    const records = eventsFor(messageId);
    expect(records.map((r) => r.eventType)).toEqual(['Send', 'Delivery', 'Complaint']);
    const [sent, delivered, complained] = records;
    expect(sent?.send).toEqual({});
    expect(delivered?.delivery).toMatchObject({
      recipients: ['complaint@simulator.amazonses.com'],
      smtpResponse: expect.stringContaining('250'),
    });
    expect(complained?.complaint).toMatchObject({
      complainedRecipients: [{ emailAddress: 'complaint@simulator.amazonses.com' }],
      complaintFeedbackType: 'abuse',
    });
    expect(delivered?.mail).toMatchObject({
      messageId,
      source: 'Pulso <surveys@pulso.example>',
      destination: ['complaint@simulator.amazonses.com'],
      headersTruncated: false,
      sendingAccountId: '000000000000',
      commonHeaders: {
        subject: '¿Cómo fue tu visita?',
        to: ['complaint@simulator.amazonses.com'],
        messageId,
      },
    });
    expect(delivered?.mail.tags).toMatchObject({
      campaign: ['spring'],
      invitation: ['spring.c1'],
      'ses:configuration-set': ['pulso-campaigns'],
    });
    expect(delivered?.mail.headers).toContainEqual({
      name: 'List-Unsubscribe',
      value: '<http://localhost/u/token-1>',
    });
  });

  it('publishes a permanent General bounce and no delivery when the mail goes to the bounce simulator', async () => {
    const { messageId } = await send({
      api: 'raw',
      to: ['bounce@simulator.amazonses.com'],
      configurationSet: 'campaigns',
    });

    await rt.idle();

    const records = eventsFor(messageId);
    expect(records.map((r) => r.eventType)).toEqual(['Send', 'Bounce']);
    expect(records[1]?.bounce).toMatchObject({
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        { emailAddress: 'bounce@simulator.amazonses.com', action: 'failed', status: '5.1.1' },
      ],
    });
    expect(records[1]?.bounce?.feedbackId).toEqual(expect.any(String));
  });

  it('bounces with OnAccountSuppressionList when the mail goes to the suppression list simulator', async () => {
    const { messageId } = await send({
      api: 'formatted',
      to: ['suppressionlist@simulator.amazonses.com'],
      configurationSet: 'campaigns',
      tags: { campaign: 'spring' },
    });

    await rt.idle();

    const bounce = eventsFor(messageId).find((r) => r.eventType === 'Bounce');
    expect(bounce?.bounce?.bounceSubType).toBe('OnAccountSuppressionList');
    expect(bounce?.mail.tags.campaign).toEqual(['spring']);
    expect(eventsFor(messageId).some((r) => r.eventType === 'Delivery')).toBe(false);
  });

  it('publishes a delivery per formatted mail to an ordinary address', async () => {
    const { messageId } = await send({
      api: 'formatted',
      to: ['ana@example.com'],
      configurationSet: 'campaigns',
      tags: { campaign: 'spring', invitation: 'spring.c2' },
    });

    await rt.idle();

    const records = eventsFor(messageId);
    expect(records.map((r) => r.eventType)).toEqual(['Send', 'Delivery']);
    expect(records[1]?.mail.commonHeaders).toMatchObject({ subject: 'How was your visit?' });
    expect(records[1]?.mail.tags.invitation).toEqual(['spring.c2']);
  });

  it('publishes only the matching event types of the configuration set', async () => {
    const delivered = await send({ api: 'raw', to: ['ana@example.com'], configurationSet: 'bounces-only' });
    const bounced = await send({
      api: 'raw',
      to: ['bounce@simulator.amazonses.com'],
      configurationSet: 'bounces-only',
    });

    await rt.idle();

    expect(eventsFor(delivered.messageId)).toEqual([]);
    expect(eventsFor(bounced.messageId).map((r) => r.eventType)).toEqual(['Bounce']);
  });

  it('publishes nothing when the mail names no configuration set, and still keeps it in the mailbox', async () => {
    const { messageId } = await send({ api: 'raw', to: ['bounce@simulator.amazonses.com'] });

    await rt.idle();

    expect(eventsFor(messageId)).toEqual([]);
    const store = (await (await fetch(`${rt.sesUrl}store`)).json()) as { emails: { messageId: string }[] };
    expect(store.emails.map((e) => e.messageId)).toContain(messageId);
    const page = await fetch(rt.mailboxUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    expect(rt.sesMessages().find((m) => m.messageId === messageId)?.configurationSetName).toBeUndefined();
  });

  it('reads the configuration set and EmailTags of a v2 JSON SendEmail', async () => {
    const res = await fetch(`${rt.sesUrl}v2/email/outbound-emails`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'AWS4-HMAC-SHA256 Credential=local' },
      body: JSON.stringify({
        FromEmailAddress: 'surveys@pulso.example',
        Destination: { ToAddresses: ['bounce@simulator.amazonses.com'] },
        ConfigurationSetName: 'pulso-campaigns',
        EmailTags: [{ Name: 'campaign', Value: 'v2' }],
        Content: { Simple: { Subject: { Data: 'v2 mail' }, Body: { Text: { Data: 'hello' } } } },
      }),
    });
    const { MessageId } = (await res.json()) as { MessageId: string };

    await rt.idle();

    expect(res.status).toBe(200);
    const bounce = eventsFor(MessageId).find((r) => r.eventType === 'Bounce');
    expect(bounce?.mail.tags.campaign).toEqual(['v2']);
    expect(bounce?.mail.commonHeaders.subject).toBe('v2 mail');
  });

  it('refuses a send through a configuration set that does not exist, and stores nothing', async () => {
    const before = rt.sesMessages().length;

    await expect(
      send({ api: 'raw', to: ['ana@example.com'], configurationSet: 'no-such-set' }),
    ).rejects.toThrow(/ConfigurationSetDoesNotExist|does not exist/);

    expect(rt.sesMessages()).toHaveLength(before);
  });

  it('keeps SMS publishes in the SNS inbox next to the event deliveries', async () => {
    const sns = new SNSClient({ endpoint: rt.snsUrl, region: 'us-east-1', credentials: localCredentials });
    try {
      await sns.send(new PublishCommand({ PhoneNumber: '+5491155550000', Message: 'Tell us: http://x/s/1' }));
    } finally {
      sns.destroy();
    }

    expect(rt.snsMessages().find((m) => m.phoneNumber === '+5491155550000')?.message).toBe(
      'Tell us: http://x/s/1',
    );
    const inbox = await (await fetch(rt.snsInboxUrl)).text();
    expect(inbox).toContain('SMS to +5491155550000');
  });
});
