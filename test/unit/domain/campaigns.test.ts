import { describe, expect, it } from 'vitest';
import { type CampaignMessage, campaignInputSchema, isConversational } from '#invitations/rules/campaigns.ts';
import type { Contact } from '#invitations/rules/contacts.ts';
import { verifyInvitation } from '#invitations/rules/invitations.ts';
import { createCampaign, startCampaign } from '#invitations/use-cases/campaigns.ts';
import {
  handleCampaignMessage,
  INVITATION_KEY,
  PermanentSendError,
  pacer,
  queueReminders,
  type SendDeps,
} from '#invitations/use-cases/send-invitations.ts';
import { ValidationError } from '#kernel/errors.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import {
  MemoryCampaignMailer,
  MemoryCampaignStore,
  MemoryContactStore,
  MemoryFatigueStore,
  MemoryInvitationStore,
  MemoryQueue,
  MemorySigningKeyStore,
  MemorySmsSender,
  MemorySuppressionStore,
} from '../../support/campaign-fakes.ts';
import { MemoryResponseStore, MemorySurveyStore } from '../../support/fakes.ts';

const survey = surveySchema.parse(demoSurvey);
const T0 = new Date('2026-11-20T12:00:00Z');

const contact = (n: number, extra: Partial<Contact> = {}): Contact => ({
  contactId: `c${n}`,
  email: `person${n}@example.com`,
  phone: `+551199900000${n}`,
  locale: 'es',
  attributes: { store: `s-${n % 2}`, tier: n % 3 === 0 ? 'gold' : 'basic' },
  ...extra,
});

function setup(contacts: Contact[], campaignInput: Record<string, unknown> = {}) {
  let now = T0;
  const deps = {
    campaigns: new MemoryCampaignStore(),
    invitations: new MemoryInvitationStore(),
    contacts: new MemoryContactStore(contacts),
    suppressions: new MemorySuppressionStore(),
    fatigue: new MemoryFatigueStore(),
    surveys: new MemorySurveyStore([survey]),
    responses: new MemoryResponseStore(),
    signingKeys: new MemorySigningKeyStore(),
    mailer: new MemoryCampaignMailer(),
    sms: new MemorySmsSender(),
    queue: new MemoryQueue(),
    clock: { now: () => now },
    publicUrl: 'https://pulso.example.com/',
    renderEmail: (c) => ({
      subject: `${c.reminder ? 'Reminder' : 'Invitation'} ${c.locale}`,
      html: `<a href="${c.surveyUrl}">go</a>`,
      text: c.surveyUrl,
    }),
    renderSms: (c) => `${c.reminder ? 'Reminder' : 'Invitation'} ${c.surveyUrl}`,
  } satisfies SendDeps;
  const run = async (id: string) => {
    await startCampaign(deps, id, now);
    // Deliver until the queue is empty, like the SQS event source mapping.
    for (let batch = deps.queue.drain(); batch.length > 0; batch = deps.queue.drain())
      for (const m of batch) await handleCampaignMessage(deps, m);
  };
  const create = (id: string, extra: Record<string, unknown> = {}) =>
    createCampaign(
      {
        campaigns: deps.campaigns,
        surveyExists: async (s) => s === 'demo',
        sourceKind: async (name) => ({ whatsapp: 'whatsapp', sms: 'sms' })[name],
      },
      campaignInputSchema.parse({
        name: 'November',
        surveyId: 'demo',
        channel: 'email',
        ...campaignInput,
        ...extra,
      }),
      id,
      now,
    );
  return { deps, run, create, later: (days: number) => (now = new Date(T0.getTime() + days * 86_400_000)) };
}

describe('campaign sending', () => {
  it('invites every contact of the audience once, page by page, with a signed link in their language', async () => {
    const { deps, run, create } = setup([1, 2, 3, 4, 5].map((n) => contact(n)));
    await create('nov', { audience: { attributes: { store: 's-1' } } });
    await run('nov');
    // Contacts 1, 3 and 5 are in store s-1.
    expect(deps.mailer.sent.map((m) => m.to).sort()).toEqual([
      'person1@example.com',
      'person3@example.com',
      'person5@example.com',
    ]);
    const mail = deps.mailer.sent[0];
    expect(mail?.subject).toBe('Invitation es');
    expect(mail?.tags).toEqual({ campaign: 'nov', contact: expect.stringMatching(/^c\d$/) });
    const url = new URL(mail?.text ?? '');
    expect(url.pathname).toBe('/s/demo');
    expect(url.searchParams.get('lang')).toBe('es');
    expect(mail?.unsubscribeUrl).toMatch(/^https:\/\/pulso\.example\.com\/s\/demo\/unsubscribe\?t=/);
    const check = verifyInvitation(
      await deps.signingKeys.get(INVITATION_KEY),
      url.searchParams.get('t') ?? '',
      'demo',
      T0,
    );
    expect(check.ok && check.claims.inv).toBe(`nov.${mail?.tags.contact}`);
    // The link expires after linkValidDays (14 by default).
    expect(check.ok && check.claims.exp).toBe(T0.getTime() / 1000 + 14 * 86_400);
    expect(deps.invitations.count('queued')).toBe(3);
    expect(deps.invitations.count('invited')).toBe(3);
    const stored = await deps.invitations.get('nov', 'c1');
    expect(stored).toMatchObject({
      state: 'sent',
      messageId: expect.any(String),
      segments: { store: 's-1' },
    });
    expect((await deps.campaigns.get('nov'))?.audienceDone).toBe(true);
  });

  it('sends SMS to the phone number for an SMS campaign', async () => {
    const { deps, run, create } = setup([contact(1), contact(2, { phone: undefined })]);
    await create('sms', { channel: 'sms' });
    await run('sms');
    expect(deps.sms.sent).toEqual([
      expect.objectContaining({ phoneNumber: '+5511999000001', text: expect.stringContaining('/s/demo?t=') }),
    ]);
    // The contact without a phone is counted as failed, not dropped.
    expect(await deps.invitations.get('sms', 'c2')).toMatchObject({
      state: 'failed',
      reason: 'no phone number',
    });
  });

  it('redelivered messages invite nobody twice and queue the next audience page once', async () => {
    const { deps, create } = setup([1, 2, 3, 4, 5].map((n) => contact(n)));
    await create('nov');
    await startCampaign(deps, 'nov', T0);
    // Starting again (a retried request) queues the first page again: harmless.
    await startCampaign(deps, 'nov', T0);
    const seen: CampaignMessage[] = [];
    for (let batch = deps.queue.drain(); batch.length > 0; batch = deps.queue.drain()) {
      for (const m of batch) {
        seen.push(m);
        // Every message arrives twice (at-least-once delivery).
        await handleCampaignMessage(deps, m);
        await handleCampaignMessage(deps, m);
      }
    }
    expect(deps.mailer.sent).toHaveLength(5);
    expect(new Set(deps.mailer.sent.map((m) => m.to)).size).toBe(5);
    // Pages of two contacts: pages 0, 1, 2, each queued once after the first.
    const pages = seen.filter((m) => m.kind === 'audience').map((m) => m.kind === 'audience' && m.page);
    expect(pages).toEqual([0, 0, 1, 2]);
    expect(deps.invitations.count('queued')).toBe(5);
  });

  it('counts suppressed and throttled contacts instead of inviting them', async () => {
    const { deps, run, create } = setup([1, 2, 3].map((n) => contact(n)));
    await deps.suppressions.suppress('c1', 'unsubscribed');
    await create('first');
    await create('second');
    await run('first');
    expect(deps.mailer.sent).toHaveLength(2);
    // Within the quiet period, the second campaign finds c2 and c3 resting.
    await run('second');
    expect(deps.mailer.sent).toHaveLength(2);
    expect(await deps.invitations.get('first', 'c1')).toMatchObject({
      state: 'suppressed',
      reason: 'unsubscribed',
    });
    expect(await deps.invitations.get('second', 'c2')).toMatchObject({ state: 'throttled' });
    expect(deps.invitations.count('throttled')).toBe(2);
    expect(deps.invitations.count('suppressed')).toBe(2);
  });

  it('after the quiet period, a contact can be invited again', async () => {
    const { deps, run, create, later } = setup([contact(1)]);
    await create('first', { quietDays: 7 });
    await run('first');
    later(8);
    await create('second');
    await run('second');
    expect(deps.mailer.sent).toHaveLength(2);
  });

  it('a provider error puts the invitation back to pending; the retry sends it once', async () => {
    const { deps, create } = setup([contact(1)]);
    await create('nov');
    await startCampaign(deps, 'nov', T0);
    await handleCampaignMessage(deps, deps.queue.drain()[0] as CampaignMessage);
    const send = deps.queue.drain()[0] as CampaignMessage;
    deps.mailer.failures.push(Object.assign(new Error('slow down'), { name: 'Throttling' }));
    await expect(handleCampaignMessage(deps, send)).rejects.toThrow('slow down');
    expect(await deps.invitations.get('nov', 'c1')).toMatchObject({ state: 'pending', event: 'retry' });
    await handleCampaignMessage(deps, send);
    expect(deps.mailer.sent).toHaveLength(1);
    expect(await deps.invitations.get('nov', 'c1')).toMatchObject({ state: 'sent' });
  });

  it('a refused address fails that invitation only', async () => {
    const { deps, run, create } = setup([contact(1), contact(2)]);
    await create('nov');
    deps.mailer.failures.push(new PermanentSendError('MessageRejected: bad address'));
    await run('nov');
    expect(deps.mailer.sent).toHaveLength(1);
    expect(deps.invitations.count('failed')).toBe(1);
  });

  it('survives a crash half way: nobody is invited twice and nobody is skipped', async () => {
    const contacts = [1, 2, 3, 4, 5, 6].map((n) => contact(n));
    const { deps, create, later } = setup(contacts);
    await create('nov');
    await startCampaign(deps, 'nov', T0);
    const messages: CampaignMessage[] = [];
    for (let batch = deps.queue.drain(); batch.length > 0; batch = deps.queue.drain())
      for (const m of batch) {
        if (m.kind === 'audience') await handleCampaignMessage(deps, m);
        else messages.push(m);
      }
    // The process dies after SES took c3's mail and before it was recorded as sent.
    deps.invitations.failOn = (id, t) => id === 'c3' && t.to === 'sent';
    for (const m of messages) await handleCampaignMessage(deps, m).catch(() => undefined);
    deps.invitations.failOn = undefined;
    // SQS delivers every message again after the visibility timeout, past the send lease.
    later(0.01);
    for (const m of messages) await handleCampaignMessage(deps, m);
    const perAddress = new Map<string, number>();
    for (const m of deps.mailer.sent) perAddress.set(m.to, (perAddress.get(m.to) ?? 0) + 1);
    expect([...perAddress.values()].every((n) => n === 1)).toBe(true);
    expect(perAddress.size).toBe(6);
    // c3 may have got its mail: it is `unknown`, counted, and never resent.
    expect(await deps.invitations.get('nov', 'c3')).toMatchObject({ state: 'unknown' });
    expect(deps.invitations.count('invited')).toBe(5);
  });

  it('a contact erased before sending is counted as failed', async () => {
    const { deps, create } = setup([contact(1)]);
    await create('nov');
    await startCampaign(deps, 'nov', T0);
    await handleCampaignMessage(deps, deps.queue.drain()[0] as CampaignMessage);
    await deps.contacts.erase('c1');
    for (const m of deps.queue.drain()) await handleCampaignMessage(deps, m);
    expect(await deps.invitations.get('nov', 'c1')).toMatchObject({
      state: 'failed',
      reason: 'the contact was erased',
    });
  });

  it('refuses a campaign for a survey that does not exist', async () => {
    const { create } = setup([]);
    await expect(create('x', { surveyId: 'nope' })).rejects.toMatchObject({ kind: 'validation' });
  });
});

describe('reminders', () => {
  async function sentCampaign() {
    const ctx = setup(
      [1, 2, 3].map((n) => contact(n)),
      { reminderAfterDays: 3 },
    );
    await ctx.create('nov');
    await ctx.run('nov');
    return ctx;
  }
  const remind = async (ctx: Awaited<ReturnType<typeof sentCampaign>>, days: number) => {
    const now = ctx.later(days);
    const queued = await queueReminders(ctx.deps, now);
    for (const m of ctx.deps.queue.drain()) await handleCampaignMessage(ctx.deps, m);
    return queued;
  };

  it('reminds once, after N days, those who have not answered', async () => {
    const ctx = await sentCampaign();
    const invitation = (await ctx.deps.invitations.get('nov', 'c2')) as { invitationId: string };
    await ctx.deps.responses.putIfAbsent({
      surveyId: 'demo',
      submissionId: `inv.${invitation.invitationId}`,
    } as never);
    expect(await remind(ctx, 2)).toBe(0);
    expect(await remind(ctx, 3)).toBe(3);
    const reminders = ctx.deps.mailer.sent.filter((m) => m.subject.startsWith('Reminder'));
    expect(reminders.map((m) => m.to).sort()).toEqual(['person1@example.com', 'person3@example.com']);
    // The next hourly sweep finds nobody left to remind.
    expect(await remind(ctx, 3.1)).toBe(0);
    expect(ctx.deps.mailer.sent.filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(2);
    expect(await ctx.deps.invitations.get('nov', 'c2')).toMatchObject({ reminderState: 'answered' });
  });

  it('does not remind a contact who unsubscribed', async () => {
    const ctx = await sentCampaign();
    await ctx.deps.suppressions.suppress('c1', 'unsubscribed');
    await remind(ctx, 4);
    const reminded = ctx.deps.mailer.sent.filter((m) => m.subject.startsWith('Reminder')).map((m) => m.to);
    expect(reminded.sort()).toEqual(['person2@example.com', 'person3@example.com']);
  });

  it('sends no reminder for a campaign without one', async () => {
    const ctx = setup([contact(1)]);
    await ctx.create('nov');
    await ctx.run('nov');
    expect(await queueReminders(ctx.deps, ctx.later(10))).toBe(0);
  });
});

describe('pacer', () => {
  it('spaces sends to the rate shared by the concurrent senders', async () => {
    const waits: number[] = [];
    const pace = pacer(10, 2, async (ms) => {
      waits.push(ms);
    });
    for (let i = 0; i < 4; i++) await pace();
    // 10 per second over 2 senders: each sends every 200 ms.
    expect(waits).toHaveLength(3);
    for (const w of waits) expect(w).toBeGreaterThan(150);
  });
});

describe('conversation campaigns', () => {
  it('runs on a source of its channel, and refuses one of another kind or none', async () => {
    const { create } = setup([]);
    await expect(create('c-sms', { channel: 'sms', source: 'sms' })).resolves.toMatchObject({
      source: 'sms',
    });
    await expect(create('c-mix', { channel: 'sms', source: 'whatsapp' })).rejects.toThrow(
      'There is no sms source "whatsapp".',
    );
    await expect(create('c-none', { channel: 'whatsapp', source: 'nobody' })).rejects.toThrow(
      ValidationError,
    );
  });

  it('is a conversation on WhatsApp, or on SMS with a source; an SMS without one sends a link', () => {
    expect(isConversational({ channel: 'sms', source: 'sms' })).toBe(true);
    expect(isConversational({ channel: 'whatsapp', source: 'whatsapp' })).toBe(true);
    expect(isConversational({ channel: 'sms' })).toBe(false);
    expect(isConversational({ channel: 'email' })).toBe(false);
  });

  it.each([
    { channel: 'email', source: 'sms' },
    { channel: 'sms', source: 'sms', reminderAfterDays: 2 },
    { channel: 'whatsapp' },
  ])('refuses %o', (bad) => {
    expect(campaignInputSchema.safeParse({ name: 'N', surveyId: 'demo', ...bad }).success).toBe(false);
  });
});

describe('campaign input', () => {
  it('fills defaults: every contact, 30 quiet days, links valid 14 days, no reminder', () => {
    const input = campaignInputSchema.parse({ name: 'N', surveyId: 'demo', channel: 'email' });
    expect(input).toEqual({
      name: 'N',
      surveyId: 'demo',
      channel: 'email',
      audience: { attributes: {} },
      quietDays: 30,
      linkValidDays: 14,
    });
  });

  it.each([
    { channel: 'fax' },
    { quietDays: -1 },
    { reminderAfterDays: 0 },
    { linkValidDays: 365 },
    { senderName: 'a"b' },
    { extra: 1 },
  ])('refuses %o', (bad) => {
    expect(
      campaignInputSchema.safeParse({ name: 'N', surveyId: 'demo', channel: 'email', ...bad }).success,
    ).toBe(false);
  });
});
