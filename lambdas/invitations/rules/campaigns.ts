import * as z from '#kernel/zod.ts';
import { DEFAULT_QUIET_DAYS } from './fatigue.ts';

/**
 * A campaign invites an audience of contacts to answer a survey, by email (SES), SMS (SNS: a link, or with an sms
 * source the survey as a conversation) or WhatsApp (a survey conversation opened with the source's approved
 * template, docs/conversations.md). Its invitations
 * are sent from a queue (docs/decisions/0001-campaign-sending.md); each one moves through a small state machine
 * whose every write is one conditional transition, so a crash or a redelivered message never invites anyone
 * twice and never skips anyone.
 */
export const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];

const idSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, 'letters, digits, "-" and "_" only'),
  );
const attributeKey = z.string().check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/, 'not an attribute name'));
const attributeValue = z.string().check(z.minLength(1), z.maxLength(200));

/** `POST /v1/campaigns`. */
export const campaignInputSchema = z
  .strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    surveyId: idSchema,
    channel: z.enum(CHANNELS),
    /**
     * whatsapp: the whatsapp source whose number writes (its templates open the conversations); sms: an sms
     * source, whose two-way number asks the survey as a conversation instead of sending a link.
     */
    source: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,32}$/))),
    /** Contacts whose attributes equal all of these; no attributes: every contact. */
    audience: z._default(
      z.strictObject({
        attributes: z._default(
          z
            .record(attributeKey, attributeValue)
            .check(z.refine((a) => Object.keys(a).length <= 10, 'at most 10 attributes')),
          {},
        ),
      }),
      { attributes: {} },
    ),
    /** Days a contact rests after an invitation, across every campaign and channel. */
    quietDays: z._default(z.int().check(z.gte(0), z.lte(365)), DEFAULT_QUIET_DAYS),
    /** Days the link in the invitation works. */
    linkValidDays: z._default(z.int().check(z.gte(1), z.lte(90)), 14),
    /** One reminder this many days after the invitation, to those who have not answered; none when absent. */
    reminderAfterDays: z.optional(z.int().check(z.gte(1), z.lte(30))),
    /** Name shown as the sender of the email ("Acme Support"). */
    senderName: z.optional(z.string().check(z.minLength(1), z.maxLength(80), z.regex(/^[^\p{Cc}"<>]+$/u))),
  })
  .check(
    z.superRefine((c, ctx) => {
      if (c.channel === 'whatsapp' && c.source === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['source'],
          message: 'a whatsapp campaign needs its whatsapp source',
        });
      if (c.channel === 'email' && c.source !== undefined)
        ctx.addIssue({ code: 'custom', path: ['source'], message: 'an email campaign has no source' });
      // A second opening to someone who did not reply would be a second survey: conversations remind nobody.
      if (isConversational(c) && c.reminderAfterDays !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['reminderAfterDays'],
          message: `a ${c.channel} conversation campaign sends no reminder`,
        });
    }),
  );
export type CampaignInput = z.output<typeof campaignInputSchema>;

/** Whether a campaign asks its survey as a conversation (WhatsApp; SMS from an sms source) rather than a link. */
export function isConversational(c: {
  readonly channel: Channel;
  readonly source?: string | undefined;
}): c is { channel: 'whatsapp' | 'sms'; source: string } {
  return c.channel !== 'email' && c.source !== undefined;
}

export type CampaignStatus = 'draft' | 'sending';

export interface Campaign extends CampaignInput {
  readonly campaignId: string;
  readonly status: CampaignStatus;
  readonly createdAt: string;
  readonly startedAt?: string;
  /** Audience pages turned into invitations so far; `audienceDone` once the last page is. */
  readonly audiencePages: number;
  readonly audienceDone: boolean;
}

export type InvitationState =
  | 'pending'
  | 'sending'
  | 'sent'
  | 'throttled'
  | 'suppressed'
  | 'failed'
  /** The process died between handing the message to SES/SNS and recording it: maybe sent, never resent. */
  | 'unknown';

/** What a write to an invitation did: every write is exactly one of these, and reach counts them. */
export type InvitationEvent =
  | 'queued'
  | 'sending'
  | 'invited'
  | 'throttled'
  | 'suppressed'
  | 'failed'
  | 'unknown'
  | 'retry'
  | 'delivered'
  | 'bounced'
  | 'complained'
  | 'opened'
  | 'started'
  | 'unsubscribed'
  | 'reminding'
  | 'reminded'
  | 'answered'
  | 'skipped';

/** Milestones recorded once each, as `<milestone>At`. */
export type Milestone = 'delivered' | 'bounced' | 'complained' | 'opened' | 'started' | 'unsubscribed';

export type ReminderState = 'sending' | 'sent' | 'answered' | 'skipped';

export interface Invitation {
  readonly campaignId: string;
  readonly contactId: string;
  readonly invitationId: string;
  readonly surveyId: string;
  readonly channel: Channel;
  /** The survey's segment attributes, from the contact: they become the response's attributes. */
  readonly segments: Readonly<Record<string, string>>;
  readonly state: InvitationState;
  readonly event: InvitationEvent;
  readonly eventAt: string;
  readonly reason?: string;
  readonly messageId?: string;
  readonly sentAt?: string;
  readonly leaseUntil?: string;
  readonly reminderState?: ReminderState;
  readonly openedAt?: string;
  readonly startedAt?: string;
}

export const invitationIdOf = (campaignId: string, contactId: string) => `${campaignId}.${contactId}`;

export function parseInvitationId(invitationId: string): { campaignId: string; contactId: string } | null {
  const dot = invitationId.indexOf('.');
  if (dot <= 0 || dot === invitationId.length - 1) return null;
  return { campaignId: invitationId.slice(0, dot), contactId: invitationId.slice(dot + 1) };
}

/** One message on the campaign queue. */
export type CampaignMessage =
  /** Turn one page of the audience into invitations, then queue their sending and the next page. */
  | {
      readonly kind: 'audience';
      readonly campaignId: string;
      readonly page: number;
      readonly cursor?: string;
    }
  | { readonly kind: 'send'; readonly campaignId: string; readonly contactIds: readonly string[] }
  | { readonly kind: 'remind'; readonly campaignId: string; readonly contactIds: readonly string[] }
  /** The customer's follow-up after their case was resolved (see send-follow-up.ts). */
  | { readonly kind: 'follow-up'; readonly caseId: string };

const messageSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('audience'),
    campaignId: idSchema,
    page: z.int().check(z.gte(0)),
    cursor: z.optional(z.string().check(z.maxLength(2000))),
  }),
  z.strictObject({
    kind: z.enum(['send', 'remind']),
    campaignId: idSchema,
    contactIds: z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(100)),
  }),
  z.strictObject({ kind: z.literal('follow-up'), caseId: z.string().check(z.minLength(1), z.maxLength(64)) }),
]);

export function parseCampaignMessage(body: string): CampaignMessage {
  return messageSchema.parse(JSON.parse(body)) as CampaignMessage;
}

/** Contacts per audience page, and invitations per send message. */
export const AUDIENCE_PAGE_SIZE = 500;
export const INVITATIONS_PER_MESSAGE = 10;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** True when the contact's attributes match the campaign's audience. */
export const inAudience = (
  audience: CampaignInput['audience'],
  attributes: Readonly<Record<string, string>>,
): boolean => Object.entries(audience.attributes).every(([k, v]) => attributes[k] === v);

/**
 * Why nobody may invite a contact: they unsubscribed, their address bounced or complained (all permanent), or the
 * team marked them not to be contacted (`do-not-contact`: the customer said so another way; the team may lift it),
 * or they were erased at their request (`erased`: kept, by their contact id, a hash of their address, so an import
 * of the same address never invites them again).
 */
export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained' | 'do-not-contact' | 'erased';

/** The one reason the team may take back: what the customer or their mailbox said stays. */
export const LIFTABLE_REASON: SuppressionReason = 'do-not-contact';
