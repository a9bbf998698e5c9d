import * as z from '#kernel/zod.ts';
import type { CaseStore } from '#loop/ports.ts';
import { followUpEvent } from '#loop/rules/recovery.ts';
import { updateCase } from '#loop/use-cases/case-updates.ts';
import type { InvitationStore, SuppressionStore } from '../ports.ts';
import { contactIdOf } from '../rules/contacts.ts';

/**
 * SES event publishing (through SNS): deliveries, bounces and complaints of invitation emails. A permanent
 * bounce or a complaint suppresses the contact on every campaign; each event is counted once on the invitation
 * it names (the `campaign` and `contact` message tags).
 */
const sesEventSchema = z.object({
  eventType: z.optional(z.string()),
  /** Identity notifications (not event publishing) name it `notificationType`. */
  notificationType: z.optional(z.string()),
  mail: z.object({
    messageId: z.optional(z.string()),
    destination: z._default(z.array(z.string()), []),
    tags: z._default(z.record(z.string(), z.array(z.string())), {}),
  }),
  bounce: z.optional(
    z.object({
      bounceType: z.string(),
      bouncedRecipients: z._default(z.array(z.object({ emailAddress: z.string() })), []),
    }),
  ),
  complaint: z.optional(
    z.object({ complainedRecipients: z._default(z.array(z.object({ emailAddress: z.string() })), []) }),
  ),
});

export interface DeliveryEvent {
  readonly kind: 'delivered' | 'bounced' | 'soft-bounce' | 'complained' | 'other';
  /** From the `campaign` and `contact` tags; absent for mail that is not an invitation. */
  readonly invitation?: { readonly campaignId: string; readonly contactId: string };
  /** From the `followUp` tag: the case whose follow-up to the customer this mail was (see recovery.ts). */
  readonly followUp?: { readonly caseId: string; readonly contactId?: string };
  /** Recipients the event is about (bounced or complaining ones, else the destination). */
  readonly recipients: readonly string[];
}

/** Reads an SES event; null when the message is not one. */
export function parseSesEvent(message: string): DeliveryEvent | null {
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return null;
  }
  const parsed = sesEventSchema.safeParse(raw);
  if (!parsed.success) return null;
  const e = parsed.data;
  const type = e.eventType ?? e.notificationType ?? '';
  const campaignId = e.mail.tags.campaign?.[0];
  const contactId = e.mail.tags.contact?.[0];
  const invitation = campaignId && contactId ? { campaignId, contactId } : undefined;
  const caseId = e.mail.tags.followUp?.[0];
  const base = {
    ...(invitation ? { invitation } : {}),
    ...(caseId ? { followUp: { caseId, ...(contactId ? { contactId } : {}) } } : {}),
  };
  switch (type) {
    case 'Delivery':
      return { kind: 'delivered', ...base, recipients: e.mail.destination };
    case 'Bounce':
      return {
        // Transient bounces (mailbox full, out of office) may deliver later: counted as neither.
        kind: e.bounce?.bounceType === 'Permanent' ? 'bounced' : 'soft-bounce',
        ...base,
        recipients: e.bounce?.bouncedRecipients.map((r) => r.emailAddress) ?? e.mail.destination,
      };
    case 'Complaint':
      return {
        kind: 'complained',
        ...base,
        recipients: e.complaint?.complainedRecipients.map((r) => r.emailAddress) ?? e.mail.destination,
      };
    default:
      return { kind: 'other', ...base, recipients: e.mail.destination };
  }
}

export async function applyDeliveryEvent(
  deps: { invitations: InvitationStore; suppressions: SuppressionStore; cases?: CaseStore },
  event: DeliveryEvent,
  now: Date,
): Promise<void> {
  if (event.kind === 'other' || event.kind === 'soft-bounce') return;
  if (event.kind === 'bounced' || event.kind === 'complained') {
    const contactIds = new Set(event.recipients.map((r) => contactIdOf(bareAddress(r), undefined)));
    if (event.invitation) contactIds.add(event.invitation.contactId);
    if (event.followUp?.contactId) contactIds.add(event.followUp.contactId);
    for (const contactId of contactIds) await deps.suppressions.suppress(contactId, event.kind, now);
  }
  if (event.invitation)
    await deps.invitations.milestone(
      event.invitation.campaignId,
      event.invitation.contactId,
      event.kind,
      now,
    );
  if (event.followUp && deps.cases)
    await recordOnFollowUp(deps.cases, event.followUp.caseId, event.kind, now);
}

const FOLLOW_UP_FIELDS = {
  delivered: 'deliveredAt',
  bounced: 'bouncedAt',
  complained: 'complainedAt',
} as const;

/** The follow-up's own delivery, bounce or complaint, once each, on its case (a bounce or complaint in the history). */
async function recordOnFollowUp(
  cases: CaseStore,
  caseId: string,
  kind: keyof typeof FOLLOW_UP_FIELDS,
  now: Date,
): Promise<void> {
  const field = FOLLOW_UP_FIELDS[kind];
  await updateCase(cases, caseId, (c) => {
    if (!c.recovery || c.recovery[field]) return null;
    const at = now.toISOString();
    return {
      ...c,
      recovery: { ...c.recovery, [field]: at },
      history:
        kind === 'delivered'
          ? c.history
          : [...c.history, followUpEvent(at, 'pulso', `the follow-up ${kind}: the customer is suppressed`)],
    };
  });
}

/** `"Ana" <ana@example.com>` -> `ana@example.com`. */
const bareAddress = (address: string) => (/<([^>]+)>/.exec(address)?.[1] ?? address).trim().toLowerCase();
