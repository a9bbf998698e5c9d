import type {
  CampaignMailer,
  CampaignQueue,
  CampaignStore,
  ContactStore,
  FatigueStore,
  InvitationStore,
  SmsSender,
  SuppressionStore,
} from '#invitations/ports.ts';
import {
  invitationLinks,
  PermanentSendError,
  SEND_LEASE_MS,
} from '#invitations/use-cases/send-invitations.ts';
import type { Clock, SigningKeyStore } from '#kernel/ports.ts';
import type { Locale } from '#kernel/survey.ts';
import type { CaseStore } from '../ports.ts';
import type { Case, Recovery, RecoveryStatus, SkipReason } from '../rules/case.ts';
import { caseLinkUrl } from '../rules/case-links.ts';
import {
  FOLLOW_UP_DAYS,
  FOLLOW_UP_KEY,
  followUpEvent,
  invitationOfCase,
  SKIP_REASONS,
} from '../rules/recovery.ts';
import { updateCase } from './case-updates.ts';

/**
 * The sweep's part (every 5 minutes, with the escalations): a follow-up that is due goes on the campaign queue,
 * so that it is sent by the senders within the SES and SNS rates. Queued before it is marked, so a sweep that dies
 * in between only queues it twice (the sender sends it once).
 */
export async function queueFollowUp(
  deps: { readonly cases: CaseStore; readonly queue: CampaignQueue },
  c: Case,
  now: Date,
): Promise<boolean> {
  await deps.queue.send([{ kind: 'follow-up', caseId: c.caseId }]);
  const saved = await updateCase(deps.cases, c.caseId, (current) => {
    const r = current.recovery;
    if (r?.status !== 'scheduled') return null;
    const { dueAt: _d, ...rest } = r;
    return { ...current, recovery: { ...rest, status: 'queued', queuedAt: now.toISOString() } };
  });
  return saved !== null;
}

export interface FollowUpContent {
  readonly locale: Locale;
  /** `{PUBLIC_URL}/c/{caseId}/follow-up?t=...&lang=...` */
  readonly followUpUrl: string;
  readonly unsubscribeUrl: string;
  /** The brand the customer knows (the campaign's sender name). */
  readonly senderName?: string | undefined;
}

export interface FollowUpDeps {
  readonly cases: CaseStore;
  readonly campaigns: CampaignStore;
  readonly invitations: InvitationStore;
  readonly contacts: ContactStore;
  readonly suppressions: SuppressionStore;
  readonly fatigue: FatigueStore;
  readonly signingKeys: SigningKeyStore;
  readonly mailer: CampaignMailer;
  readonly sms: SmsSender;
  readonly clock: Clock;
  readonly publicUrl: string;
  readonly renderFollowUpEmail: (c: FollowUpContent) => { subject: string; html: string; text: string };
  readonly renderFollowUpSms: (c: Omit<FollowUpContent, 'unsubscribeUrl'>) => string;
  readonly pace?: () => Promise<void>;
}

/**
 * A follow-up waiting to be sent. The sweep queues the message before it marks the follow-up queued, so a sender
 * may find it still scheduled.
 */
const WAITING: readonly RecoveryStatus[] = ['scheduled', 'queued'];

export type FollowUpOutcome = 'sent' | 'skipped' | 'failed' | 'unknown' | 'not-due';

/** Thrown while another sender holds the follow-up's lease: the queue delivers the message again later. */
export class FollowUpBusyError extends Error {}

/**
 * The sender's part: checks that the customer can be reached and that the fatigue rule allows it, leases the
 * follow-up, sends it (email through SES with one-click unsubscribe, or SMS through SNS, on the invitation's
 * channel, in the language of the answer), and records it. A message delivered twice sends once.
 */
export async function sendFollowUp(deps: FollowUpDeps, caseId: string): Promise<FollowUpOutcome> {
  const c = await deps.cases.get(caseId);
  const r = c?.recovery;
  if (!c || !r) return 'not-due';
  const now = deps.clock.now();
  const at = now.toISOString();
  if (r.status === 'sending') {
    if (r.leaseUntil && Date.parse(r.leaseUntil) < now.getTime()) {
      // It may have gone out: never sent twice.
      await settle(
        deps,
        caseId,
        ['sending'],
        { status: 'unknown', reason: 'the sender stopped while sending' },
        at,
      );
      return 'unknown';
    }
    throw new FollowUpBusyError(`The follow-up of case ${caseId} is being sent.`);
  }
  if (!WAITING.includes(r.status)) return 'not-due';

  const skip = async (reason: SkipReason) => {
    await settle(deps, caseId, WAITING, { status: 'skipped', reason }, at);
    return 'skipped' as const;
  };
  const ids = invitationOfCase(c);
  const invitation = ids ? await deps.invitations.get(ids.campaignId, ids.contactId) : undefined;
  const campaign = ids ? await deps.campaigns.get(ids.campaignId) : undefined;
  if (!ids || !invitation || !campaign) return skip('no-contact');
  const contact = await deps.contacts.get(ids.contactId);
  if (!contact) return skip('contact-erased');
  // A customer invited on WhatsApp gets the follow-up by SMS: days later, their 24-hour window has closed.
  const channel = invitation.channel === 'email' ? 'email' : 'sms';
  const address = channel === 'email' ? contact.email : contact.phone;
  if (!address) return skip('no-address');
  const suppressed = await deps.suppressions.reasonFor(ids.contactId);
  if (suppressed) return skip(suppressed);
  // The invitation's own claim, when it still holds, allows it; a claim by another campaign does not.
  const allowed = await deps.fatigue.claim({
    contactId: ids.contactId,
    by: invitation.invitationId,
    at: now,
    quietDays: campaign.quietDays,
  });
  if (!allowed) return skip('resting');

  const leased = await updateCase(deps.cases, caseId, (current) =>
    current.recovery && WAITING.includes(current.recovery.status)
      ? {
          ...current,
          recovery: {
            ...current.recovery,
            status: 'sending',
            channel,
            leaseUntil: new Date(now.getTime() + SEND_LEASE_MS).toISOString(),
          },
        }
      : null,
  );
  if (!leased) return 'not-due';

  const locale = c.locale;
  const key = await deps.signingKeys.get(FOLLOW_UP_KEY);
  const link = { page: 'follow-up', days: FOLLOW_UP_DAYS } as const;
  const followUpUrl = `${caseLinkUrl(deps.publicUrl, key, caseId, 'customer', now, link)}&lang=${locale}`;
  // SES tags name the contact and the case, not the campaign: its reach counts invitations, not follow-ups.
  const tags = { contact: ids.contactId, followUp: caseId };
  try {
    await deps.pace?.();
    if (invitation.channel === 'email') {
      const exp = Math.floor(now.getTime() / 1000) + FOLLOW_UP_DAYS * 86_400;
      const { unsubscribeUrl } = await invitationLinks(deps, invitation, c.surveyId, locale, exp);
      const content = { locale, followUpUrl, unsubscribeUrl, senderName: campaign.senderName };
      await deps.mailer.send({ to: address, ...deps.renderFollowUpEmail(content), unsubscribeUrl, tags });
    } else {
      const text = deps.renderFollowUpSms({ locale, followUpUrl, senderName: campaign.senderName });
      await deps.sms.send({ phoneNumber: address, text, tags });
    }
  } catch (err) {
    if (err instanceof PermanentSendError) {
      await settle(deps, caseId, ['sending'], { status: 'failed', reason: err.message.slice(0, 200) }, at);
      return 'failed';
    }
    // Nothing went out: back in the queue's hands (it delivers the message again).
    await updateCase(deps.cases, caseId, (current) => {
      if (current.recovery?.status !== 'sending') return null;
      const { leaseUntil: _l, ...rest } = current.recovery;
      return { ...current, recovery: { ...rest, status: 'queued' } };
    });
    throw err;
  }
  await settle(deps, caseId, ['sending'], { status: 'sent', sentAt: deps.clock.now().toISOString() }, at);
  return 'sent';
}

/** Moves the recovery from `from` to its outcome, with a line in the case's history. */
async function settle(
  deps: Pick<FollowUpDeps, 'cases'>,
  caseId: string,
  from: readonly RecoveryStatus[],
  outcome: Partial<Recovery> & { status: RecoveryStatus },
  at: string,
): Promise<void> {
  await updateCase(deps.cases, caseId, (current) => {
    if (!current.recovery || !from.includes(current.recovery.status)) return null;
    const { leaseUntil: _l, dueAt: _d, ...rest } = current.recovery;
    const note =
      outcome.status === 'sent'
        ? `follow-up sent to the customer by ${rest.channel ?? 'email'}`
        : outcome.status === 'skipped'
          ? `follow-up not sent: ${SKIP_REASONS[outcome.reason as SkipReason] ?? outcome.reason}`
          : `follow-up ${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''}`;
    return {
      ...current,
      recovery: { ...rest, ...outcome },
      history: [...current.history, followUpEvent(outcome.sentAt ?? at, 'pulso', note)],
    };
  });
}
