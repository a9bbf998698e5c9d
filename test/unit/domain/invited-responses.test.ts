import { describe, expect, it } from 'vitest';
import type { Invitation } from '#invitations/rules/campaigns.ts';
import { contactIdOf } from '#invitations/rules/contacts.ts';
import { signInvitation } from '#invitations/rules/invitations.ts';
import { applyDeliveryEvent, parseSesEvent } from '#invitations/use-cases/delivery-events.ts';
import { answerInvitation, openInvitation, unsubscribe } from '#invitations/use-cases/invited-responses.ts';
import { INVITATION_KEY } from '#invitations/use-cases/send-invitations.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import {
  MemoryInvitationStore,
  MemorySigningKeyStore,
  MemorySuppressionStore,
} from '../../support/campaign-fakes.ts';
import { builtinAnalyzer, MemoryResponseStore, MemorySurveyStore } from '../../support/fakes.ts';

const survey = surveySchema.parse(demoSurvey);
const now = new Date('2026-11-20T12:00:00Z');
const invitation: Invitation = {
  campaignId: 'nov',
  contactId: 'c1',
  invitationId: 'nov.c1',
  surveyId: 'demo',
  channel: 'email',
  segments: { store: 's-001', region: 'south' },
  state: 'sent',
  event: 'invited',
  eventAt: now.toISOString(),
};

async function setup() {
  const deps = {
    surveys: new MemorySurveyStore([survey]),
    responses: new MemoryResponseStore(),
    analyzer: builtinAnalyzer,
    invitations: new MemoryInvitationStore(),
    signingKeys: new MemorySigningKeyStore(),
    suppressions: new MemorySuppressionStore(),
    clock: { now: () => now },
  };
  await deps.invitations.createMissing([invitation]);
  const key = await deps.signingKeys.get(INVITATION_KEY);
  const token = (exp = now.getTime() / 1000 + 3600, inv = 'nov.c1', surveyId = 'demo') =>
    signInvitation(key, { inv, surveyId, contactId: 'c1', exp });
  return { deps, token };
}

const answers = { nps: '3', csat: '2', ces: '2', comment: 'slow' };

describe('the survey page opened from an invitation', () => {
  it('counts the first view as opened, once', async () => {
    const { deps, token } = await setup();
    expect(await openInvitation(deps, 'demo', token(), now)).toMatchObject({ status: 'open' });
    await openInvitation(deps, 'demo', token(), now);
    expect(deps.invitations.count('opened')).toBe(1);
  });

  it('records the answers once, with the invitation as submission and its segments as attributes', async () => {
    const { deps, token } = await setup();
    const first = await answerInvitation(deps, { surveyId: 'demo', token: token(), answers, locale: 'pt' });
    expect(first.status).toBe('recorded');
    const stored = await deps.responses.get('demo', 'inv.nov.c1');
    expect(stored).toMatchObject({
      campaignId: 'nov',
      attributes: { store: 's-001', region: 'south' },
      answers: { nps: 3 },
    });
    expect(deps.invitations.count('started')).toBe(1);
    // A double tap: the same answers again are the same submission.
    const again = await answerInvitation(deps, { surveyId: 'demo', token: token(), answers, locale: 'pt' });
    expect(again).toMatchObject({ status: 'recorded', result: { status: 'duplicate' } });
    // A second use of the link with other answers counts nothing.
    const other = await answerInvitation(deps, {
      surveyId: 'demo',
      token: token(),
      answers: { ...answers, nps: '10' },
      locale: 'pt',
    });
    expect(other.status).toBe('answered');
    expect((await deps.responses.get('demo', 'inv.nov.c1'))?.answers.nps).toBe(3);
    expect(deps.invitations.count('started')).toBe(1);
    // Opening the link after answering says so.
    expect(await openInvitation(deps, 'demo', token(), now)).toMatchObject({ status: 'answered' });
  });

  it('refuses a tampered link (403), another survey`s link (403) and an expired one (410)', async () => {
    const { deps, token } = await setup();
    const t = token();
    const tampered = `${t.slice(0, 10)}${t[10] === 'A' ? 'B' : 'A'}${t.slice(11)}`;
    await expect(openInvitation(deps, 'demo', tampered, now)).rejects.toMatchObject({ kind: 'refused' });
    await expect(
      openInvitation(deps, 'demo', token(undefined, 'nov.c1', 'other'), now),
    ).rejects.toMatchObject({
      kind: 'refused',
    });
    await expect(openInvitation(deps, 'demo', token(now.getTime() / 1000 - 1), now)).rejects.toMatchObject({
      kind: 'expired',
    });
    // A well-signed token for an invitation that does not exist.
    await expect(openInvitation(deps, 'demo', token(undefined, 'nov.c9'), now)).rejects.toMatchObject({
      kind: 'refused',
    });
    expect(deps.invitations.count('opened')).toBe(0);
  });

  it('unsubscribes, even with an expired link, and counts it once', async () => {
    const { deps, token } = await setup();
    await unsubscribe(deps, 'demo', token(now.getTime() / 1000 - 86_400), now);
    await unsubscribe(deps, 'demo', token(), now);
    expect(await deps.suppressions.reasonFor('c1')).toBe('unsubscribed');
    expect(deps.invitations.count('unsubscribed')).toBe(1);
    await expect(unsubscribe(deps, 'demo', 'forged.token', now)).rejects.toMatchObject({ kind: 'refused' });
  });
});

const sesEvent = (eventType: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventType,
    mail: {
      messageId: 'm-1',
      destination: ['Ana <ana@example.com>'],
      tags: { campaign: ['nov'], contact: ['c1'], 'ses:configuration-set': ['x'] },
    },
    ...extra,
  });

describe('SES delivery events', () => {
  it('counts a delivery on the invitation', async () => {
    const { deps } = await setup();
    const event = parseSesEvent(sesEvent('Delivery'));
    expect(event).toEqual({
      kind: 'delivered',
      invitation: { campaignId: 'nov', contactId: 'c1' },
      recipients: ['Ana <ana@example.com>'],
    });
    await applyDeliveryEvent(deps, event as never, now);
    await applyDeliveryEvent(deps, event as never, now);
    expect(deps.invitations.count('delivered')).toBe(1);
    expect(deps.suppressions.items.size).toBe(0);
  });

  it('a permanent bounce suppresses the contact and the address; a transient one does nothing', async () => {
    const { deps } = await setup();
    const bounce = (bounceType: string) =>
      parseSesEvent(
        sesEvent('Bounce', {
          bounce: { bounceType, bouncedRecipients: [{ emailAddress: 'ana@example.com' }] },
        }),
      );
    await applyDeliveryEvent(deps, bounce('Transient') as never, now);
    expect(deps.suppressions.items.size).toBe(0);
    await applyDeliveryEvent(deps, bounce('Permanent') as never, now);
    expect(await deps.suppressions.reasonFor('c1')).toBe('bounced');
    expect(await deps.suppressions.reasonFor(contactIdOf('ana@example.com', undefined))).toBe('bounced');
    expect(deps.invitations.count('bounced')).toBe(1);
  });

  it('a complaint suppresses, also for mail that carries no invitation tag', async () => {
    const { deps } = await setup();
    const event = parseSesEvent(
      JSON.stringify({
        notificationType: 'Complaint',
        mail: { destination: ['bob@example.com'] },
        complaint: { complainedRecipients: [{ emailAddress: 'bob@example.com' }] },
      }),
    );
    await applyDeliveryEvent(deps, event as never, now);
    expect(await deps.suppressions.reasonFor(contactIdOf('bob@example.com', undefined))).toBe('complained');
  });

  it.each(['not json', '{}', '{"mail": 3}', '[]'])('ignores a message that is not an SES event: %s', (m) => {
    expect(parseSesEvent(m)).toBeNull();
  });
});
