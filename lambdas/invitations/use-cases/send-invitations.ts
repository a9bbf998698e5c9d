import type { ResponseStore } from '#capture/ports.ts';
import { DAY_MS } from '#kernel/days.ts';
import type { Clock, SigningKeyStore, SurveyStore } from '#kernel/ports.ts';
import type { Locale, Survey } from '#kernel/survey.ts';
import type {
  CampaignMailer,
  CampaignQueue,
  CampaignStore,
  ContactStore,
  ConversationStarter,
  FatigueStore,
  InvitationStore,
  SmsSender,
  SuppressionStore,
} from '../ports.ts';
import {
  AUDIENCE_PAGE_SIZE,
  type Campaign,
  type CampaignMessage,
  chunk,
  INVITATIONS_PER_MESSAGE,
  type Invitation,
  inAudience,
  invitationIdOf,
  isConversational,
} from '../rules/campaigns.ts';
import type { Contact } from '../rules/contacts.ts';
import { invitationSubmissionId, signInvitation } from '../rules/invitations.ts';

/** Name of the invitation token key in the SigningKeyStore. */
export const INVITATION_KEY = 'invitations';
/** How long a send may take before an unfinished one is taken for `unknown` (never resent). */
export const SEND_LEASE_MS = 5 * 60_000;

export interface InvitationContent {
  readonly survey: Survey;
  readonly locale: Locale;
  /** `{PUBLIC_URL}/s/{surveyId}?t={token}&lang={locale}`; NPS scores may be appended as `&score=N`. */
  readonly surveyUrl: string;
  readonly unsubscribeUrl: string;
  readonly reminder: boolean;
  /** The brand the customer knows, e.g. "Acme Stores". */
  readonly senderName?: string | undefined;
}

export interface SendDeps {
  readonly campaigns: CampaignStore;
  readonly invitations: InvitationStore;
  readonly contacts: ContactStore;
  readonly suppressions: SuppressionStore;
  readonly fatigue: FatigueStore;
  readonly surveys: SurveyStore;
  readonly responses: ResponseStore;
  readonly signingKeys: SigningKeyStore;
  readonly mailer: CampaignMailer;
  readonly sms: SmsSender;
  /** WhatsApp campaigns: opens each invitation's survey conversation. */
  readonly conversations?: ConversationStarter;
  readonly queue: CampaignQueue;
  readonly clock: Clock;
  /** Base of the links, e.g. https://survey.example.com. */
  readonly publicUrl: string;
  readonly renderEmail: (c: InvitationContent) => { subject: string; html: string; text: string };
  readonly renderSms: (c: Omit<InvitationContent, 'unsubscribeUrl'>) => string;
  /** Contacts read per audience page. @default AUDIENCE_PAGE_SIZE */
  readonly audiencePageSize?: number;
  /** Waits before each send so that the campaign stays within the SES/SNS rate (see pacer()). */
  readonly pace?: () => Promise<void>;
}

/** A provider refused this one message for good (bad address, opted-out phone): it is `failed`, not retried. */
export class PermanentSendError extends Error {}

export type SendOutcome = 'invited' | 'throttled' | 'suppressed' | 'failed' | 'unknown' | 'skipped';

/**
 * Handles one queue message. Safe to run twice, or concurrently with another delivery of the same message:
 * every step is a conditional write on the invitation.
 */
export async function handleCampaignMessage(deps: SendDeps, message: CampaignMessage): Promise<void> {
  // The sender hands follow-ups to sendFollowUp (send-follow-up.ts), which needs the case store.
  if (message.kind === 'follow-up') throw new TypeError('A follow-up message is not an invitation message.');
  const campaign = await deps.campaigns.get(message.campaignId);
  if (!campaign) return;
  if (message.kind === 'audience') return expandAudience(deps, campaign, message.page, message.cursor);
  const survey = await deps.surveys.get(campaign.surveyId);
  if (!survey) throw new Error(`Campaign ${campaign.campaignId} names a missing survey ${campaign.surveyId}`);
  for (const contactId of message.contactIds) {
    if (message.kind === 'send') await sendInvitation(deps, campaign, survey, contactId);
    else await sendReminder(deps, campaign, survey, contactId);
  }
}

/**
 * One page of the audience: the invitations it lacks are written (pending), their sending is queued, and then
 * the next page. A redelivered page writes nothing new and queues its pending invitations again (the send is a
 * no-op for those already handled); only the delivery that records the page done queues the next page.
 */
export async function expandAudience(
  deps: SendDeps,
  campaign: Campaign,
  page: number,
  cursor: string | undefined,
): Promise<void> {
  if (campaign.audienceDone || campaign.audiencePages > page) return;
  const survey = await deps.surveys.get(campaign.surveyId);
  if (!survey) throw new Error(`Campaign ${campaign.campaignId} names a missing survey ${campaign.surveyId}`);
  const result = await deps.contacts.page(cursor, deps.audiencePageSize ?? AUDIENCE_PAGE_SIZE);
  const now = deps.clock.now().toISOString();
  const invitations: Invitation[] = result.contacts
    .filter((c) => inAudience(campaign.audience, c.attributes))
    .map((c) => ({
      campaignId: campaign.campaignId,
      contactId: c.contactId,
      invitationId: invitationIdOf(campaign.campaignId, c.contactId),
      surveyId: campaign.surveyId,
      channel: campaign.channel,
      segments: Object.fromEntries(
        survey.segmentKeys.flatMap((k) => (c.attributes[k] ? [[k, c.attributes[k]]] : [])),
      ),
      state: 'pending',
      event: 'queued',
      eventAt: now,
    }));
  await deps.invitations.createMissing(invitations);
  const ids = invitations.map((i) => i.contactId);
  await deps.queue.send(
    chunk(ids, INVITATIONS_PER_MESSAGE).map((contactIds) => ({
      kind: 'send',
      campaignId: campaign.campaignId,
      contactIds,
    })),
  );
  const last = result.cursor === undefined;
  if ((await deps.campaigns.audiencePageDone(campaign.campaignId, page, last)) && !last) {
    await deps.queue.send([
      { kind: 'audience', campaignId: campaign.campaignId, page: page + 1, cursor: result.cursor },
    ]);
  }
}

function addressOf(contact: Contact, campaign: Campaign): string | undefined {
  // WhatsApp numbers are phone numbers.
  return campaign.channel === 'email' ? contact.email : contact.phone;
}

async function linksFor(
  deps: SendDeps,
  campaign: Campaign,
  invitation: Invitation,
  locale: Locale,
  now: Date,
) {
  const exp = Math.floor(now.getTime() / 1000) + campaign.linkValidDays * 86_400;
  return invitationLinks(deps, invitation, campaign.surveyId, locale, exp);
}

/**
 * An invitation's survey link and unsubscribe link, in `locale`, with a token valid until `exp` (seconds since the
 * epoch). Unsubscribing works after that too (see invitationOfToken).
 */
export async function invitationLinks(
  deps: Pick<SendDeps, 'signingKeys' | 'publicUrl'>,
  invitation: Pick<Invitation, 'invitationId' | 'contactId'>,
  surveyId: string,
  locale: Locale,
  exp: number,
) {
  const token = signInvitation(await deps.signingKeys.get(INVITATION_KEY), {
    inv: invitation.invitationId,
    surveyId,
    contactId: invitation.contactId,
    exp,
  });
  const base = deps.publicUrl.replace(/\/+$/, '');
  const survey = encodeURIComponent(surveyId);
  return {
    // The page opens in the language of the invitation (the customer can still switch).
    surveyUrl: `${base}/s/${survey}?t=${token}&lang=${locale}`,
    unsubscribeUrl: `${base}/s/${survey}/unsubscribe?t=${token}&lang=${locale}`,
  };
}

/** Hands the message to SES or SNS; answers with the provider's message id. */
async function deliver(
  deps: SendDeps,
  campaign: Campaign,
  survey: Survey,
  contact: Contact,
  invitation: Invitation,
  reminder: boolean,
): Promise<string> {
  const now = deps.clock.now();
  const locale =
    contact.locale && survey.locales.includes(contact.locale) ? contact.locale : survey.defaultLocale;
  if (campaign.channel === 'whatsapp' || isConversational(campaign)) {
    // No link: the survey is the conversation, opened on the source's number in the contact's language.
    if (!deps.conversations || !isConversational(campaign))
      throw new PermanentSendError(`Conversations are not set up for this ${campaign.channel} campaign`);
    await deps.pace?.();
    const opened = await deps.conversations.start({
      channel: campaign.channel,
      source: campaign.source,
      surveyId: campaign.surveyId,
      to: addressOf(contact, campaign) ?? '',
      locale,
      attributes: invitation.segments,
      campaignId: campaign.campaignId,
      contactId: invitation.contactId,
    });
    return opened.messageId;
  }
  const { surveyUrl, unsubscribeUrl } = await linksFor(deps, campaign, invitation, locale, now);
  const content = { survey, locale, surveyUrl, unsubscribeUrl, reminder, senderName: campaign.senderName };
  // SES tag values allow letters, digits, "_" and "-" only: the invitation travels as campaign and contact.
  const tags = { campaign: campaign.campaignId, contact: invitation.contactId };
  await deps.pace?.();
  if (campaign.channel === 'email') {
    const mail = deps.renderEmail(content);
    const sent = await deps.mailer.send({
      to: addressOf(contact, campaign) ?? '',
      ...mail,
      unsubscribeUrl,
      tags,
    });
    return sent.messageId;
  }
  const sent = await deps.sms.send({
    phoneNumber: addressOf(contact, campaign) ?? '',
    text: deps.renderSms(content),
    tags,
  });
  return sent.messageId;
}

/**
 * pending -> suppressed | throttled | failed, or pending -> sending -> sent. The fatigue claim is taken in the
 * invitation's name, so a redelivery after a crash takes it again rather than finding the contact resting.
 */
export async function sendInvitation(
  deps: SendDeps,
  campaign: Campaign,
  survey: Survey,
  contactId: string,
): Promise<SendOutcome> {
  const { invitations } = deps;
  const id = campaign.campaignId;
  const invitation = await invitations.get(id, contactId);
  if (!invitation) return 'skipped';
  const now = deps.clock.now();
  if (invitation.state === 'sending') {
    // A send that outlived its lease died half way: it may have gone out, so it is never sent again.
    if (invitation.leaseUntil && Date.parse(invitation.leaseUntil) < now.getTime()) {
      await invitations.transition(id, contactId, {
        from: ['sending'],
        to: 'unknown',
        event: 'unknown',
        at: now,
        reason: 'the sender stopped while sending',
      });
      return 'unknown';
    }
    return 'skipped';
  }
  if (invitation.state !== 'pending') return 'skipped';

  const settle = async (to: 'suppressed' | 'throttled' | 'failed', reason: string) =>
    (await invitations.transition(id, contactId, { from: ['pending'], to, event: to, at: now, reason }))
      ? to
      : 'skipped';

  const contact = await deps.contacts.get(contactId);
  if (!contact) return settle('failed', 'the contact was erased');
  if (!addressOf(contact, campaign))
    return settle('failed', campaign.channel === 'email' ? 'no email address' : 'no phone number');
  const suppressed = await deps.suppressions.reasonFor(contactId);
  if (suppressed) return settle('suppressed', suppressed);
  const claimed = await deps.fatigue.claim({
    contactId,
    by: invitation.invitationId,
    at: now,
    quietDays: campaign.quietDays,
  });
  if (!claimed) return settle('throttled', `surveyed in the last ${campaign.quietDays} days`);

  const leased = await invitations.transition(id, contactId, {
    from: ['pending'],
    to: 'sending',
    event: 'sending',
    at: now,
    leaseUntil: new Date(now.getTime() + SEND_LEASE_MS),
  });
  if (!leased) return 'skipped';
  let messageId: string;
  try {
    messageId = await deliver(deps, campaign, survey, contact, invitation, false);
  } catch (err) {
    if (err instanceof PermanentSendError) {
      await invitations.transition(id, contactId, {
        from: ['sending'],
        to: 'failed',
        event: 'failed',
        at: deps.clock.now(),
        reason: err.message.slice(0, 200),
      });
      return 'failed';
    }
    // The provider answered with an error, so nothing went out: back to pending for the retry.
    await invitations.transition(id, contactId, {
      from: ['sending'],
      to: 'pending',
      event: 'retry',
      at: deps.clock.now(),
    });
    throw err;
  }
  await invitations.transition(id, contactId, {
    from: ['sending'],
    to: 'sent',
    event: 'invited',
    at: deps.clock.now(),
    messageId,
  });
  return 'invited';
}

/** One reminder, to an invited contact who has not answered and is not suppressed. */
export async function sendReminder(
  deps: SendDeps,
  campaign: Campaign,
  survey: Survey,
  contactId: string,
): Promise<'reminded' | 'skipped'> {
  const id = campaign.campaignId;
  const invitation = await deps.invitations.get(id, contactId);
  if (invitation?.state !== 'sent' || invitation.reminderState !== undefined) return 'skipped';
  const now = deps.clock.now();
  const answered = await deps.responses.get(
    campaign.surveyId,
    invitationSubmissionId(invitation.invitationId),
  );
  if (answered) {
    await deps.invitations.reminder(id, contactId, undefined, 'answered', 'answered', now);
    return 'skipped';
  }
  const contact = await deps.contacts.get(contactId);
  const suppressed = await deps.suppressions.reasonFor(contactId);
  if (!contact || !addressOf(contact, campaign) || suppressed) {
    await deps.invitations.reminder(id, contactId, undefined, 'skipped', 'skipped', now);
    return 'skipped';
  }
  if (!(await deps.invitations.reminder(id, contactId, undefined, 'sending', 'reminding', now)))
    return 'skipped';
  try {
    await deliver(deps, campaign, survey, contact, invitation, true);
  } catch (err) {
    if (!(err instanceof PermanentSendError))
      await deps.invitations.reminder(id, contactId, 'sending', undefined, 'retry', deps.clock.now());
    throw err;
  }
  await deps.invitations.reminder(id, contactId, 'sending', 'sent', 'reminded', deps.clock.now());
  return 'reminded';
}

/**
 * The reminder sweep: for each sending campaign with reminders, the invitations sent at least
 * `reminderAfterDays` ago that have no reminder yet are queued for one. Runs hourly; stops looking at a
 * campaign a week after its reminders fell due.
 */
export async function queueReminders(
  deps: Pick<SendDeps, 'campaigns' | 'invitations' | 'queue'>,
  now: Date,
): Promise<number> {
  let queued = 0;
  for (const campaign of await deps.campaigns.list()) {
    if (campaign.status !== 'sending' || !campaign.reminderAfterDays || !campaign.startedAt) continue;
    const due = campaign.reminderAfterDays * DAY_MS;
    const startedAt = Date.parse(campaign.startedAt);
    if (now.getTime() < startedAt + due || now.getTime() > startedAt + due + 7 * DAY_MS) continue;
    let cursor: string | undefined;
    do {
      const page = await deps.invitations.page(campaign.campaignId, cursor);
      const ids = page.items
        .filter(
          (i) =>
            i.state === 'sent' &&
            i.reminderState === undefined &&
            i.sentAt !== undefined &&
            Date.parse(i.sentAt) + due <= now.getTime(),
        )
        .map((i) => i.contactId);
      await deps.queue.send(
        chunk(ids, INVITATIONS_PER_MESSAGE).map((contactIds) => ({
          kind: 'remind',
          campaignId: campaign.campaignId,
          contactIds,
        })),
      );
      queued += ids.length;
      cursor = page.cursor;
    } while (cursor);
  }
  return queued;
}

/** Spaces sends so that `ratePerSecond` holds across `concurrency` parallel senders. */
export function pacer(ratePerSecond: number, concurrency: number, sleep = defaultSleep): () => Promise<void> {
  const interval = (1000 * concurrency) / ratePerSecond;
  let next = 0;
  return async () => {
    const now = Date.now();
    const wait = Math.max(0, next - now);
    next = Math.max(now, next) + interval;
    if (wait > 0) await sleep(wait);
  };
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
