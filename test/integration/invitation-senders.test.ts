import { SESClient } from '@aws-sdk/client-ses';
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesRawMailer } from '#adapters/ses-raw-mailer.ts';
import { SnsSmsSender } from '#adapters/sns-sms.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { type SesEngine, startSes } from '#local/engines/ses.ts';
import { type SnsEngine, startSns } from '#local/engines/sns.ts';
import { renderInvitationEmail, renderInvitationSms } from '#views/invitation-email.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const survey = surveySchema.parse(demoSurvey);
const SURVEY_URL = 'https://survey.example.com/s/demo?t=eyJpbnYiOiJjMS5hYmMifQ.AbCdEfGhIjKlMnOpQrStUv';
const UNSUBSCRIBE_URL = 'https://survey.example.com/u/eyJpbnYiOiJjMS5hYmMifQ.AbCdEfGhIjKlMnOpQrStUv';

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

let ses: SesEngine;
let sns: SnsEngine;

beforeAll(async () => {
  [ses, sns] = await Promise.all([startSes({ port: 0 }), startSns({ port: 0 })]);
});
afterAll(async () => {
  await Promise.all([ses?.stop(), sns?.stop()]);
});

describe('SesRawMailer on the local SES server', () => {
  it('delivers the invitation with its subject, recipient and both parts', async () => {
    const client = new SESClient({ endpoint: ses.url, region: 'us-east-1', credentials });
    const mailer = new SesRawMailer(client, '"Acme Stores" <cx@example.com>', 'pulso-invitations');
    const content = renderInvitationEmail({
      survey,
      locale: 'pt',
      surveyUrl: SURVEY_URL,
      unsubscribeUrl: UNSUBSCRIBE_URL,
      reminder: false,
      senderName: 'Acme Stores',
    });
    const to = `ana+${Date.now()}@example.com`;

    const { messageId } = await mailer.send({
      to,
      ...content,
      unsubscribeUrl: UNSUBSCRIBE_URL,
      tags: { campaign: 'c1', invitation: 'c1.abc' },
    });

    const store = (await (await fetch(new URL('store', ses.url))).json()) as { emails: StoredEmail[] };
    const stored = store.emails.find((e) => e.messageId === messageId);
    expect(stored?.subject).toBe('Sua opinião é importante: Como nos saímos?');
    expect(stored?.destination.to).toEqual([to]);
    expect(stored?.from).toContain('cx@example.com');
    expect(stored?.body.text).toContain(`Responder à pesquisa: ${SURVEY_URL}`);
    expect(stored?.body.text).toContain(`Cancelar inscrição: ${UNSUBSCRIBE_URL}`);
    expect(stored?.body.html).toContain(`href="${SURVEY_URL.replaceAll('&', '&amp;')}&amp;score=10"`);
    expect(stored?.body.html).toContain('Nada provável');
  });
});

describe('SnsSmsSender on the local SNS engine', () => {
  it('sends a transactional SMS to the phone number from the sender id', async () => {
    const client = new SNSClient({ endpoint: sns.url, region: 'us-east-1', credentials });
    const sender = new SnsSmsSender(client, 'Acme');
    const text = renderInvitationSms({ survey, locale: 'es', surveyUrl: SURVEY_URL, reminder: true });

    const { messageId } = await sender.send({
      phoneNumber: '+5511987654321',
      text,
      tags: { campaign: 'c1' },
    });

    const sent = sns.messages().find((m) => m.messageId === messageId);
    expect(sent?.phoneNumber).toBe('+5511987654321');
    expect(sent?.message).toBe(text);
    expect(sent?.message.startsWith('Recordatorio: ¿Como lo hicimos?\n')).toBe(true);
    expect(sent?.messageAttributes['AWS.SNS.SMS.SMSType']?.StringValue).toBe('Transactional');
    expect(sent?.messageAttributes['AWS.SNS.SMS.SenderID']?.StringValue).toBe('Acme');
  });
});
