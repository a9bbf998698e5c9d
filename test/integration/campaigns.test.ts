import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltinAnalyzer } from '#adapters/builtin-analyzer.ts';
import {
  DynamoCampaignStore,
  DynamoInvitationStore,
  DynamoSuppressionStore,
} from '#adapters/dynamodb/campaigns.ts';
import { DynamoContactStore, DynamoFatigueStore } from '#adapters/dynamodb/contacts.ts';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { DynamoSentimentModelStore } from '#adapters/dynamodb/sentiment-models.ts';
import { DynamoSigningKeyStore } from '#adapters/dynamodb/signing-keys.ts';
import { DynamoSurveyStore } from '#adapters/dynamodb/surveys.ts';
import { type CampaignMessage, campaignInputSchema } from '#invitations/rules/campaigns.ts';
import type { Contact } from '#invitations/rules/contacts.ts';
import { createCampaign, startCampaign } from '#invitations/use-cases/campaigns.ts';
import {
  answerInvitation,
  type InvitedDeps,
  openInvitation,
} from '#invitations/use-cases/invited-responses.ts';
import {
  handleCampaignMessage,
  queueReminders,
  type SendDeps,
} from '#invitations/use-cases/send-invitations.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { createTable } from '../../bench/support.ts';
import { MemoryCampaignMailer, MemoryQueue, MemorySmsSender } from '../support/campaign-fakes.ts';
import { startTestDynamo } from '../support/http.ts';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let client: DynamoDBClient;
let table: string;
const T0 = new Date('2026-11-20T12:00:00Z');

beforeAll(async () => {
  dynamo = await startTestDynamo();
  client = dynamo.client;
  table = `campaigns-${Date.now()}`;
  await createTable(client, table);
  await new DynamoSurveyStore(client, table).put(surveySchema.parse(demoSurvey));
});
afterAll(async () => {
  await dynamo?.stop();
});

function deps(now = () => T0) {
  return {
    campaigns: new DynamoCampaignStore(client, table),
    invitations: new DynamoInvitationStore(client, table),
    contacts: new DynamoContactStore(client, table),
    suppressions: new DynamoSuppressionStore(client, table),
    fatigue: new DynamoFatigueStore(client, table),
    surveys: new DynamoSurveyStore(client, table),
    responses: new DynamoResponseStore(client, table),
    analyzer: new BuiltinAnalyzer(new DynamoSentimentModelStore(client, table), { now }),
    signingKeys: new DynamoSigningKeyStore(client, table),
    mailer: new MemoryCampaignMailer(),
    sms: new MemorySmsSender(),
    queue: new MemoryQueue(),
    clock: { now },
    publicUrl: 'http://127.0.0.1:3000',
    renderEmail: (c) => ({
      subject: c.reminder ? 'Reminder' : 'Invitation',
      html: c.surveyUrl,
      text: c.surveyUrl,
    }),
    renderSms: (c) => c.surveyUrl,
    audiencePageSize: 100,
  } satisfies SendDeps & InvitedDeps;
}

/** Delivers every queued message twice at once, as at-least-once SQS delivery may. */
async function drainTwice(d: SendDeps & { queue: MemoryQueue }) {
  for (let batch = d.queue.drain(); batch.length > 0; batch = d.queue.drain()) {
    await Promise.all(
      batch.flatMap((m: CampaignMessage) => [handleCampaignMessage(d, m), handleCampaignMessage(d, m)]),
    );
  }
}

describe('campaigns on DynamoDB Local', () => {
  it('invites each matching contact of 300 exactly once, with every message delivered twice at once', {
    timeout: 120_000,
  }, async () => {
    const d = deps();
    const contacts: Contact[] = Array.from({ length: 300 }, (_, i) => ({
      contactId: `big-${i}`,
      email: `big${i}@example.com`,
      attributes: { list: 'big', store: `s-${i % 4}` },
    }));
    await d.contacts.putMany(contacts);
    await createCampaign(
      { campaigns: d.campaigns, surveyExists: async () => true, sourceKind: async () => undefined },
      campaignInputSchema.parse({
        name: 'Big',
        surveyId: 'demo',
        channel: 'email',
        audience: { attributes: { list: 'big' } },
      }),
      'big',
      T0,
    );
    await startCampaign(d, 'big', T0);
    await drainTwice(d);
    expect(d.mailer.sent).toHaveLength(300);
    expect(new Set(d.mailer.sent.map((m) => m.to)).size).toBe(300);
    const campaign = await d.campaigns.get('big');
    // 300 contacts (plus any from other tests) in pages of 100: at least three pages, the last one done.
    expect(campaign?.audiencePages).toBeGreaterThanOrEqual(3);
    expect(campaign?.audienceDone).toBe(true);
    let invited = 0;
    let cursor: string | undefined;
    do {
      const page = await d.invitations.page('big', cursor);
      invited += page.items.filter((i) => i.state === 'sent').length;
      cursor = page.cursor;
    } while (cursor);
    expect(invited).toBe(300);
    const one = await d.invitations.get('big', 'big-7');
    expect(one).toMatchObject({ state: 'sent', event: 'invited', segments: { store: 's-3' } });
  });

  it('a second campaign within the quiet period throttles; a suppressed contact is skipped', async () => {
    const d = deps();
    await d.contacts.putMany([
      { contactId: 'q-1', email: 'q1@example.com', attributes: { list: 'q' } },
      { contactId: 'q-2', email: 'q2@example.com', attributes: { list: 'q' } },
    ]);
    await d.suppressions.suppress('q-2', 'bounced', T0);
    await d.suppressions.suppress('q-2', 'unsubscribed', T0);
    for (const id of ['q-first', 'q-second']) {
      await createCampaign(
        { campaigns: d.campaigns, surveyExists: async () => true, sourceKind: async () => undefined },
        campaignInputSchema.parse({
          name: id,
          surveyId: 'demo',
          channel: 'email',
          audience: { attributes: { list: 'q' } },
        }),
        id,
        T0,
      );
      await startCampaign(d, id, T0);
      await drainTwice(d);
    }
    expect(d.mailer.sent.map((m) => m.to)).toEqual(['q1@example.com']);
    expect(await d.invitations.get('q-second', 'q-1')).toMatchObject({
      state: 'throttled',
      event: 'throttled',
    });
    expect(await d.invitations.get('q-first', 'q-2')).toMatchObject({
      state: 'suppressed',
      reason: 'bounced',
    });
  });

  it('follows the link, answers once, and reminds nobody who answered', async () => {
    let now = T0;
    const d = deps(() => now);
    await d.contacts.putMany([
      { contactId: 'r-1', email: 'r1@example.com', attributes: { list: 'r', store: 's-9' } },
      { contactId: 'r-2', email: 'r2@example.com', attributes: { list: 'r' } },
    ]);
    await createCampaign(
      { campaigns: d.campaigns, surveyExists: async () => true, sourceKind: async () => undefined },
      campaignInputSchema.parse({
        name: 'R',
        surveyId: 'demo',
        channel: 'email',
        audience: { attributes: { list: 'r' } },
        reminderAfterDays: 3,
      }),
      'r',
      T0,
    );
    await startCampaign(d, 'r', T0);
    await drainTwice(d);
    const mail = d.mailer.sent.find((m) => m.to === 'r1@example.com');
    const token = new URL(mail?.text ?? '').searchParams.get('t') ?? '';
    expect((await openInvitation(d, 'demo', token, now)).status).toBe('open');
    const answered = await answerInvitation(d, {
      surveyId: 'demo',
      token,
      answers: { nps: '9', csat: '5', ces: '6' },
      locale: 'en',
    });
    expect(answered.status).toBe('recorded');
    expect(await d.responses.get('demo', 'inv.r.r-1')).toMatchObject({
      campaignId: 'r',
      attributes: { store: 's-9' },
    });
    expect(await d.invitations.get('r', 'r-1')).toMatchObject({
      openedAt: T0.toISOString(),
      startedAt: T0.toISOString(),
    });

    now = new Date(T0.getTime() + 3 * 86_400_000 + 60_000);
    expect(await queueReminders(d, now)).toBe(2);
    await drainTwice(d);
    const reminders = d.mailer.sent.filter((m) => m.subject === 'Reminder').map((m) => m.to);
    expect(reminders).toEqual(['r2@example.com']);
    expect(await d.invitations.get('r', 'r-1')).toMatchObject({ reminderState: 'answered' });
    expect(await d.invitations.get('r', 'r-2')).toMatchObject({ reminderState: 'sent', event: 'reminded' });
  });
});
