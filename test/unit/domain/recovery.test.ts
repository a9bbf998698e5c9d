import { describe, expect, it } from 'vitest';
import { buildResponse } from '#capture/rules/response.ts';
import { campaignInputSchema } from '#invitations/rules/campaigns.ts';
import type { Contact } from '#invitations/rules/contacts.ts';
import { createCampaign, startCampaign } from '#invitations/use-cases/campaigns.ts';
import { applyDeliveryEvent, parseSesEvent } from '#invitations/use-cases/delivery-events.ts';
import { handleCampaignMessage, PermanentSendError } from '#invitations/use-cases/send-invitations.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import type { Case } from '#loop/rules/case.ts';
import { verifyCaseLink } from '#loop/rules/case-links.ts';
import { nextDueAt, openCase } from '#loop/rules/cases.ts';
import { loopFigures } from '#loop/rules/loop-metrics.ts';
import { FOLLOW_UP_KEY } from '#loop/rules/recovery.ts';
import { answerFollowUp } from '#loop/use-cases/answer-follow-up.ts';
import { closeCase, reopenCase, resolveCase } from '#loop/use-cases/case-actions.ts';
import { escalateDueCases } from '#loop/use-cases/escalate-cases.ts';
import { type FollowUpDeps, sendFollowUp } from '#loop/use-cases/send-follow-up.ts';
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
import {
  MemoryCaseStore,
  MemoryMailer,
  MemoryNotifier,
  MemoryResponseStore,
  MemorySurveyStore,
} from '../../support/fakes.ts';

const survey = surveySchema.parse({ ...demoSurvey, recovery: { followUp: false, delayHours: 24 } });
const T0 = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;

const contact = (n: number, extra: Partial<Contact> = {}): Contact => ({
  contactId: `c${n}`,
  email: `person${n}@example.com`,
  phone: `+551199900000${n}`,
  locale: 'pt',
  attributes: { store: 's-1' },
  ...extra,
});

/**
 * Contacts invited by campaign `nov` (the real sending code over in-memory ports), their cases, the escalation
 * sweep and the sender's follow-up step.
 */
async function setup(contacts: Contact[], channel: 'email' | 'sms' = 'email') {
  let now = T0;
  const clock = { now: () => now };
  const cases = new MemoryCaseStore();
  const queue = new MemoryQueue();
  const send = {
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
    queue,
    clock,
    publicUrl: 'https://pulso.example.com/',
    renderEmail: () => ({ subject: 'Invitation', html: '<p>x</p>', text: 'x' }),
    renderSms: () => 'Invitation',
  };
  const followUps: FollowUpDeps = {
    ...send,
    cases,
    renderFollowUpEmail: (c) => ({ subject: `Follow-up ${c.locale}`, html: '<p>f</p>', text: c.followUpUrl }),
    renderFollowUpSms: (c) => `Follow-up ${c.followUpUrl}`,
  };
  await createCampaign(
    { campaigns: send.campaigns, surveyExists: async () => true, sourceKind: async () => undefined },
    campaignInputSchema.parse({ name: 'Nov', surveyId: 'demo', channel, senderName: 'Acme' }),
    'nov',
    now,
  );
  await startCampaign(send, 'nov', now);
  for (let batch = queue.drain(); batch.length > 0; batch = queue.drain())
    for (const m of batch) await handleCampaignMessage(send, m);
  send.mailer.sent.length = 0;
  send.sms.sent.length = 0;

  const sweepDeps = {
    cases,
    surveys: send.surveys,
    notifier: new MemoryNotifier(),
    mailer: new MemoryMailer(),
    queue,
    renderEscalation: () => ({ subject: 'Escalated', html: '<p>e</p>', text: 'e' }),
    renderNotRecovered: (c: Case) => ({ subject: `Not recovered ${c.caseId}`, html: '<p>n</p>', text: 'n' }),
  };
  /** A detractor's case; through the invitation of contact `n`, or (n undefined) from a QR code. */
  const aCase = async (n?: number): Promise<Case> => {
    const response = buildResponse({
      survey,
      submissionId: n === undefined ? `qr-${now.getTime()}` : `inv.nov.c${n}`,
      answers: { nps: 2, csat: 4, ces: 5 },
      attributes: { store: 's-1' },
      capturedVia: 'web',
      now,
      locale: 'pt',
    });
    const c = openCase(survey, response, [], now);
    await cases.openIfAbsent(c);
    return c;
  };
  const actions = { cases, surveys: send.surveys, clock };
  /** Sweeps as of now, then delivers the queue's follow-ups to the sender, twice each (SQS may). */
  const sweepAndSend = async () => {
    const swept = await escalateDueCases(sweepDeps, now);
    const outcomes = [];
    for (const m of queue.drain()) {
      if (m.kind !== 'follow-up') continue;
      outcomes.push(await sendFollowUp(followUps, m.caseId), await sendFollowUp(followUps, m.caseId));
    }
    return { swept, outcomes };
  };
  return {
    send,
    sweepDeps,
    followUps,
    cases,
    actions,
    aCase,
    sweepAndSend,
    later: (hours: number) => (now = new Date(now.getTime() + hours * HOUR)),
  };
}

const resolution = { note: 'Called and refunded', rootCause: 'billing', customerContacted: true };

describe('recovery follow-up', () => {
  it('asks the customer once, after the delay, on the invitation channel, in the language of the answer', async () => {
    const t = await setup([contact(1)]);
    const c = await t.aCase(1);
    const resolved = await resolveCase(t.actions, c.caseId, 'ana@example.com', {
      ...resolution,
      followUp: true,
    });
    expect(resolved.recovery).toMatchObject({
      status: 'scheduled',
      requestedBy: 'ana@example.com',
      dueAt: new Date(T0.getTime() + 24 * HOUR).toISOString(),
    });
    // The due index carries the follow-up of a resolved case.
    expect(nextDueAt(resolved)).toBe(resolved.recovery?.dueAt);

    t.later(23);
    expect((await t.sweepAndSend()).outcomes).toEqual([]);
    t.later(1.1);
    const { swept, outcomes } = await t.sweepAndSend();
    expect(swept.followUpsQueued).toBe(1);
    // Delivered twice, sent once.
    expect(outcomes).toEqual(['sent', 'not-due']);
    expect(t.send.mailer.sent).toHaveLength(1);
    const mail = t.send.mailer.sent[0];
    expect(mail).toMatchObject({ to: 'person1@example.com', subject: 'Follow-up pt' });
    // Tagged with the case and contact, not the campaign: its reach counts invitations only.
    expect(mail?.tags).toEqual({ contact: 'c1', followUp: c.caseId });
    expect(mail?.unsubscribeUrl).toMatch(/^https:\/\/pulso\.example\.com\/s\/demo\/unsubscribe\?t=/);
    const url = new URL(mail?.text ?? '');
    expect(url.pathname).toBe(`/c/${c.caseId}/follow-up`);
    expect(url.searchParams.get('lang')).toBe('pt');
    const key = await t.send.signingKeys.get(FOLLOW_UP_KEY);
    expect(verifyCaseLink(key, url.searchParams.get('t') ?? '', c.caseId, new Date()).ok).toBe(true);
    // The acknowledge links' key does not open it.
    expect(
      verifyCaseLink(
        await t.send.signingKeys.get('case-links'),
        url.searchParams.get('t') ?? '',
        c.caseId,
        new Date(),
      ).ok,
    ).toBe(false);
    const sent = await t.cases.get(c.caseId);
    expect(sent?.recovery).toMatchObject({ status: 'sent', channel: 'email', sentAt: expect.any(String) });
    expect(nextDueAt(sent as Case)).toBeUndefined();
    expect(sent?.history.filter((e) => e.action === 'follow-up').map((e) => e.note)).toEqual([
      expect.stringContaining('scheduled'),
      'follow-up sent to the customer by email',
    ]);
  });

  it('records one answer; 4 or 5 is recovered; a second answer changes nothing', async () => {
    const t = await setup([contact(1), contact(2)]);
    const first = await t.aCase(1);
    const second = await t.aCase(2);
    for (const c of [first, second])
      await resolveCase(t.actions, c.caseId, 'ana@example.com', { ...resolution, followUp: true });
    t.later(25);
    await t.sweepAndSend();
    await expect(answerFollowUp(t.actions, first.caseId, '')).rejects.toThrow('Choose an answer');
    await expect(answerFollowUp(t.actions, first.caseId, '6')).rejects.toThrow('Choose one of the options');
    await expect(answerFollowUp(t.actions, first.caseId, '2.5')).rejects.toThrow('Choose one of the options');
    const answered = await answerFollowUp(t.actions, first.caseId, '5');
    expect(answered.recovery).toMatchObject({ status: 'answered', score: 5, recovered: true });
    await expect(answerFollowUp(t.actions, first.caseId, '1')).rejects.toThrow('answered already');
    expect((await t.cases.get(first.caseId))?.recovery?.score).toBe(5);
    await answerFollowUp(t.actions, second.caseId, '3');

    const figures = loopFigures([...t.cases.items.values()], new Date());
    expect(figures.recovery).toMatchObject({ followUpsSent: 2, answered: 2, recovered: { n: 2, pct: 50 } });
    expect(figures.recovery.recovered.ci95?.low).toBeLessThan(50);
  });

  it('cannot be answered before it was sent', async () => {
    const t = await setup([contact(1)]);
    const c = await t.aCase(1);
    await resolveCase(t.actions, c.caseId, 'ana@example.com', { ...resolution, followUp: true });
    await expect(answerFollowUp(t.actions, c.caseId, '5')).rejects.toThrow('no follow-up to answer');
  });

  it('follows the survey setting when the resolution does not say, and the resolution when it does', async () => {
    const t = await setup([contact(1), contact(2)]);
    await t.send.surveys.put({ ...survey, recovery: { followUp: true, delayHours: 2 } });
    const a = await t.aCase(1);
    const b = await t.aCase(2);
    const byDefault = await resolveCase(t.actions, a.caseId, 'ana@example.com', resolution);
    expect(byDefault.recovery?.dueAt).toBe(new Date(T0.getTime() + 2 * HOUR).toISOString());
    const declined = await resolveCase(t.actions, b.caseId, 'ana@example.com', {
      ...resolution,
      followUp: false,
    });
    expect(declined.recovery).toBeUndefined();
  });

  it('skips, with the reason, a customer it cannot reach', async () => {
    const t = await setup([contact(1), contact(2), contact(3), contact(4)]);
    const qr = await t.aCase();
    const skipped = await resolveCase(t.actions, qr.caseId, 'ana@example.com', {
      ...resolution,
      followUp: true,
    });
    expect(skipped.recovery).toMatchObject({ status: 'skipped', reason: 'no-contact' });

    const unsubscribed = await t.aCase(1);
    const erased = await t.aCase(2);
    const noEmail = await t.aCase(3);
    for (const c of [unsubscribed, erased, noEmail])
      await resolveCase(t.actions, c.caseId, 'ana@example.com', { ...resolution, followUp: true });
    await t.send.suppressions.suppress('c1', 'unsubscribed');
    t.send.contacts.items.delete('c2');
    t.send.contacts.items.set('c3', { ...contact(3), email: undefined });
    t.later(25);
    const { outcomes } = await t.sweepAndSend();
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(3);
    expect(t.send.mailer.sent).toEqual([]);
    expect((await t.cases.get(unsubscribed.caseId))?.recovery).toMatchObject({
      status: 'skipped',
      reason: 'unsubscribed',
    });
    expect((await t.cases.get(erased.caseId))?.recovery?.reason).toBe('contact-erased');
    expect((await t.cases.get(noEmail.caseId))?.recovery?.reason).toBe('no-address');
  });

  it('asks nobody the team marked not to be contacted', async () => {
    const t = await setup([contact(1)]);
    const marked = await t.aCase(1);
    await resolveCase(t.actions, marked.caseId, 'ana@example.com', { ...resolution, followUp: true });
    await t.send.suppressions.suppress('c1', 'do-not-contact');
    t.later(25);
    const { outcomes } = await t.sweepAndSend();
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(1);
    expect(t.send.mailer.sent).toEqual([]);
    expect((await t.cases.get(marked.caseId))?.recovery).toMatchObject({
      status: 'skipped',
      reason: 'do-not-contact',
    });
  });

  it('keeps to the fatigue rule: not after another campaign surveyed the customer', async () => {
    const t = await setup([contact(1), contact(2)]);
    const rested = await t.aCase(1);
    const free = await t.aCase(2);
    for (const c of [rested, free])
      await resolveCase(t.actions, c.caseId, 'ana@example.com', { ...resolution, followUp: true });
    // Forty days on, the invitation's quiet period is over and another campaign claimed contact 1.
    t.later(40 * 24);
    expect(
      await t.send.fatigue.claim({
        contactId: 'c1',
        by: 'dec.c1',
        at: new Date(T0.getTime() + 40 * 24 * HOUR),
        quietDays: 30,
      }),
    ).toBe(true);
    const { outcomes } = await t.sweepAndSend();
    expect(outcomes.sort()).toEqual(['not-due', 'not-due', 'sent', 'skipped']);
    expect((await t.cases.get(rested.caseId))?.recovery).toMatchObject({
      status: 'skipped',
      reason: 'resting',
    });
    // Contact 2 was not surveyed since: the follow-up goes, and it starts a new quiet period.
    expect(t.send.mailer.sent.map((m) => m.to)).toEqual(['person2@example.com']);
    expect(
      await t.send.fatigue.claim({
        contactId: 'c2',
        by: 'dec.c2',
        at: new Date(T0.getTime() + 41 * 24 * HOUR),
        quietDays: 30,
      }),
    ).toBe(false);
  });

  it('goes by SMS when the invitation did', async () => {
    const t = await setup([contact(1)], 'sms');
    const c = await t.aCase(1);
    await resolveCase(t.actions, c.caseId, 'ana@example.com', { ...resolution, followUp: true });
    t.later(25);
    await t.sweepAndSend();
    expect(t.send.sms.sent).toEqual([
      expect.objectContaining({
        phoneNumber: '+5511999000001',
        text: expect.stringContaining(`/c/${c.caseId}/follow-up?t=`),
        tags: { contact: 'c1', followUp: c.caseId },
      }),
    ]);
    expect((await t.cases.get(c.caseId))?.recovery).toMatchObject({ status: 'sent', channel: 'sms' });
  });

  it('is cancelled by a reopen, and one resolution later scheduled again; never sent twice', async () => {
    const t = await setup([contact(1)]);
    const c = await t.aCase(1);
    await resolveCase(t.actions, c.caseId, 'ana@example.com', { ...resolution, followUp: true });
    const reopened = await reopenCase(t.actions, c.caseId, 'bob@example.com', 'The customer wrote again');
    expect(reopened.recovery?.status).toBe('cancelled');
    t.later(25);
    expect((await t.sweepAndSend()).outcomes).toEqual([]);
    await resolveCase(t.actions, c.caseId, 'bob@example.com', { ...resolution, followUp: true });
    await closeCase(t.actions, c.caseId, 'bob@example.com');
    t.later(25);
    expect((await t.sweepAndSend()).outcomes).toContain('sent');
    // A later reopen and resolution asks nothing more: one follow-up per case.
    await reopenCase(t.actions, c.caseId, 'bob@example.com', 'Again');
    const again = await resolveCase(t.actions, c.caseId, 'bob@example.com', {
      ...resolution,
      followUp: true,
    });
    expect(again.recovery?.status).toBe('sent');
    expect(t.send.mailer.sent).toHaveLength(1);
  });

  it('after a provider error tries again; a refusal is failed; a sender that died leaves it unknown', async () => {
    const t = await setup([contact(1), contact(2), contact(3)]);
    const [a, b, d] = [await t.aCase(1), await t.aCase(2), await t.aCase(3)];
    for (const c of [a, b, d])
      await resolveCase(t.actions, c.caseId, 'ana@example.com', { ...resolution, followUp: true });
    t.later(25);
    await escalateDueCases(t.sweepDeps, new Date(T0.getTime() + 25 * HOUR));
    t.send.queue.drain();

    t.send.mailer.failures.push(new Error('Throttling'));
    await expect(sendFollowUp(t.followUps, a.caseId)).rejects.toThrow('Throttling');
    expect((await t.cases.get(a.caseId))?.recovery?.status).toBe('queued');
    expect(await sendFollowUp(t.followUps, a.caseId)).toBe('sent');

    t.send.mailer.failures.push(new PermanentSendError('MessageRejected: address blacklisted'));
    expect(await sendFollowUp(t.followUps, b.caseId)).toBe('failed');
    expect((await t.cases.get(b.caseId))?.recovery).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('MessageRejected'),
    });

    // A sender died after leasing: another delivery while the lease holds waits; after it, unknown, not resent.
    const leased = (await t.cases.get(d.caseId)) as Case;
    await t.cases.save({
      ...leased,
      version: (leased.version ?? 0) + 1,
      recovery: {
        ...(leased.recovery as NonNullable<Case['recovery']>),
        status: 'sending',
        leaseUntil: new Date(T0.getTime() + 25 * HOUR + 60_000).toISOString(),
      },
    });
    await expect(sendFollowUp(t.followUps, d.caseId)).rejects.toThrow('being sent');
    t.later(1);
    expect(await sendFollowUp(t.followUps, d.caseId)).toBe('unknown');
    expect(t.send.mailer.sent.map((m) => m.to)).toEqual(['person1@example.com']);
  });

  it('is sent once when the sender gets the message before the sweep marked it queued', async () => {
    const t = await setup([contact(1)]);
    const c = await t.aCase(1);
    await resolveCase(t.actions, c.caseId, 'ana@example.com', { ...resolution, followUp: true });
    t.later(25);
    // The sweep queued the message and died before marking the follow-up: the sender finds it scheduled.
    expect(await sendFollowUp(t.followUps, c.caseId)).toBe('sent');
    // The next sweep finds nothing due.
    expect((await t.sweepAndSend()).swept.followUpsQueued).toBe(0);
    expect(t.send.mailer.sent).toHaveLength(1);
  });

  it("tells the case's owner when the customer is not recovered, once", async () => {
    const t = await setup([contact(1), contact(2)]);
    const [unhappy, happy] = [await t.aCase(1), await t.aCase(2)];
    for (const c of [unhappy, happy])
      await resolveCase(t.actions, c.caseId, 'ana@example.com', { ...resolution, followUp: true });
    t.later(25);
    await t.sweepAndSend();
    await answerFollowUp(t.actions, unhappy.caseId, '2');
    await answerFollowUp(t.actions, happy.caseId, '4');
    // Due at once, for the next sweep.
    expect(nextDueAt((await t.cases.get(unhappy.caseId)) as Case)).toBeDefined();
    expect(nextDueAt((await t.cases.get(happy.caseId)) as Case)).toBeUndefined();
    t.later(0.1);
    expect((await t.sweepAndSend()).swept.notRecoveredTold).toBe(1);
    expect((await t.sweepAndSend()).swept.notRecoveredTold).toBe(0);
    expect(t.sweepDeps.mailer.sent.map((m) => [m.to, m.subject])).toEqual([
      ['cx-team@example.com', `Not recovered ${unhappy.caseId}`],
    ]);
    expect(t.sweepDeps.notifier.published.at(-1)?.attributes).toMatchObject({
      event: 'not-recovered',
      caseId: unhappy.caseId,
      ownerEmail: 'cx-team@example.com',
      score: '2',
    });
    expect((await t.cases.get(unhappy.caseId))?.recovery?.ownerToldAt).toBeDefined();
  });

  it("records the follow-up email's delivery and bounce on the case, not on the campaign's reach", async () => {
    const t = await setup([contact(1)]);
    const c = await t.aCase(1);
    await resolveCase(t.actions, c.caseId, 'ana@example.com', { ...resolution, followUp: true });
    t.later(25);
    await t.sweepAndSend();
    const eventsBefore = t.send.invitations.events.length;
    const ses = (eventType: string, extra: Record<string, unknown> = {}) =>
      parseSesEvent(
        JSON.stringify({
          eventType,
          mail: {
            destination: ['person1@example.com'],
            tags: { contact: ['c1'], followUp: [c.caseId] },
          },
          ...extra,
        }),
      );
    const delivered = ses('Delivery');
    expect(delivered).toMatchObject({ kind: 'delivered', followUp: { caseId: c.caseId, contactId: 'c1' } });
    expect(delivered?.invitation).toBeUndefined();
    const deps = { invitations: t.send.invitations, suppressions: t.send.suppressions, cases: t.cases };
    const at = new Date('2026-11-21T13:00:00Z');
    await applyDeliveryEvent(deps, delivered as never, at);
    await applyDeliveryEvent(deps, delivered as never, new Date('2026-11-21T14:00:00Z'));
    const bounced = ses('Bounce', {
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'person1@example.com' }] },
    });
    await applyDeliveryEvent(deps, bounced as never, at);
    const stored = await t.cases.get(c.caseId);
    expect(stored?.recovery).toMatchObject({ deliveredAt: at.toISOString(), bouncedAt: at.toISOString() });
    expect(stored?.history.at(-1)?.note).toContain('bounced');
    expect(await t.send.suppressions.reasonFor('c1')).toBe('bounced');
    expect(t.send.invitations.events.length).toBe(eventsBefore);
  });
});
