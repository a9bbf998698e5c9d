import type { Mail } from '#kernel/ports.ts';
import type { Locale } from '#kernel/survey.ts';
import type {
  Campaign,
  CampaignMessage,
  Invitation,
  InvitationEvent,
  InvitationState,
  Milestone,
  ReminderState,
  SuppressionReason,
} from './rules/campaigns.ts';
import type { Contact } from './rules/contacts.ts';
import type { FatigueClaim } from './rules/fatigue.ts';
import type { CampaignReach } from './rules/reach.ts';

export interface ReachStore {
  /** A campaign's reach so far: totals, per segment value, and day by day (see reach.ts). */
  read(campaignId: string): Promise<CampaignReach>;
}

/** A campaign's invitation email: one recipient, one-click unsubscribe, tags for SES event publishing. */
export interface InvitationMail extends Mail {
  /** Sent as `List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058). */
  readonly unsubscribeUrl: string;
  /** SES message tags (`campaign`, `invitation`); they come back in the delivery, bounce and complaint events. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface CampaignMailer {
  /** Answers with the provider's message id. */
  send(mail: InvitationMail): Promise<{ readonly messageId: string }>;
}

export interface Sms {
  /** E.164, e.g. +5511987654321. */
  readonly phoneNumber: string;
  readonly text: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface SmsSender {
  /** Answers with the provider's message id. */
  send(sms: Sms): Promise<{ readonly messageId: string }>;
}

export interface CampaignStore {
  /** Stores a new campaign (fails if the id is taken). */
  create(campaign: Campaign): Promise<void>;
  get(campaignId: string): Promise<Campaign | undefined>;
  list(): Promise<Campaign[]>;
  /** draft -> sending; false if the campaign was started already. */
  start(campaignId: string, at: Date): Promise<boolean>;
  /**
   * Records that audience page `page` is done (`audiencePages` page -> page + 1) and whether it was the last.
   * False if another delivery of the same page recorded it first.
   */
  audiencePageDone(campaignId: string, page: number, last: boolean): Promise<boolean>;
}

export interface InvitationTransition {
  readonly from: readonly InvitationState[];
  readonly to: InvitationState;
  readonly event: InvitationEvent;
  readonly at: Date;
  readonly reason?: string;
  readonly messageId?: string;
  readonly leaseUntil?: Date;
}

export interface InvitationStore {
  /** Writes the invitations that do not exist yet (state `pending`, event `queued`); existing ones are kept. */
  createMissing(invitations: readonly Invitation[]): Promise<void>;
  get(campaignId: string, contactId: string): Promise<Invitation | undefined>;
  /** Moves the invitation if its state is one of `from`; false when it is not (nothing written). */
  transition(campaignId: string, contactId: string, t: InvitationTransition): Promise<boolean>;
  /** Moves the reminder from `from` (undefined: no reminder yet) to `to`; false when it was elsewhere. */
  reminder(
    campaignId: string,
    contactId: string,
    from: ReminderState | undefined,
    /** undefined: no reminder (a failed attempt is undone). */
    to: ReminderState | undefined,
    event: InvitationEvent,
    at: Date,
  ): Promise<boolean>;
  /** Records a milestone once (`<milestone>At`); false when it was recorded before. */
  milestone(campaignId: string, contactId: string, milestone: Milestone, at: Date): Promise<boolean>;
  /** One page of a campaign's invitations. */
  page(campaignId: string, cursor?: string): Promise<{ items: Invitation[]; cursor?: string }>;
}

/**
 * Opens a survey conversation with a contact on WhatsApp (the conversations capability implements it, so
 * invitations do not depend on it). Answers the id of the template message that opened it.
 */
export interface ConversationStarter {
  start(input: {
    readonly channel: 'whatsapp' | 'sms';
    readonly source: string;
    readonly surveyId: string;
    /** E.164. */
    readonly to: string;
    readonly locale: Locale;
    readonly attributes: Readonly<Record<string, string>>;
    readonly campaignId: string;
    readonly contactId: string;
  }): Promise<{ readonly messageId: string }>;
}

export interface SuppressionStore {
  /** Suppresses the contact on every campaign and channel (the first reason is kept). */
  suppress(contactId: string, reason: SuppressionReason, at: Date): Promise<void>;
  reasonFor(contactId: string): Promise<SuppressionReason | undefined>;
  /** Takes the suppression back if its reason is still `reason`; false when it is another (or none). */
  lift(contactId: string, reason: SuppressionReason): Promise<boolean>;
}

export interface CampaignQueue {
  send(messages: readonly CampaignMessage[]): Promise<void>;
}

export interface ContactStore {
  /** `keepDays`: contacts expire (TTL) that many days after the import; kept until erased when absent. */
  putMany(contacts: readonly Contact[], keepDays?: number): Promise<void>;
  get(contactId: string): Promise<Contact | undefined>;
  erase(contactId: string): Promise<void>;
  /** Every contact, a page at a time (campaign audiences). */
  page(cursor: string | undefined, limit: number): Promise<{ contacts: Contact[]; cursor?: string }>;
}

export interface FatigueStore {
  /**
   * Marks the contact as surveyed until `quietUntil(claim)` unless an earlier claim still holds. True when the
   * claim was taken; false when the contact is resting (nothing written). The same `by` may claim again (a
   * redelivered invitation after a crash finds its own claim, not a resting contact).
   */
  claim(claim: FatigueClaim): Promise<boolean>;
}
