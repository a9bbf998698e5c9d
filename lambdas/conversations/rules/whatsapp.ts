import { attributesSchema } from '#capture/rules/response.ts';
import { localeSchema } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';

/**
 * What Pulso reads of a WhatsApp Business Cloud API webhook (`messages` field): the customers' messages (text,
 * a tap on a list row or a button). Statuses and other fields are let through unread.
 */
const messageSchema = z.object({
  from: z.string().check(z.regex(/^\d{5,20}$/)),
  id: z.string().check(z.minLength(1), z.maxLength(256)),
  type: z.string(),
  text: z.optional(z.object({ body: z.string().check(z.maxLength(4096)) })),
  interactive: z.optional(
    z.object({
      list_reply: z.optional(z.object({ id: z.string(), title: z.string() })),
      button_reply: z.optional(z.object({ id: z.string(), title: z.string() })),
    }),
  ),
  button: z.optional(z.object({ text: z.string(), payload: z.optional(z.string()) })),
});

/** A status of a message Pulso sent: they arrive at least once, and in any order. */
const statusSchema = z.object({
  id: z.string(),
  status: z.string(),
  timestamp: z.optional(z.string()),
  biz_opaque_callback_data: z.optional(z.string().check(z.maxLength(512))),
});

export const whatsappPayloadSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          field: z.optional(z.string()),
          value: z.object({
            metadata: z.optional(z.object({ phone_number_id: z.string() })),
            messages: z.optional(z.array(messageSchema)),
            statuses: z.optional(z.array(statusSchema)),
          }),
        }),
      ),
    }),
  ),
});
export type WhatsAppPayload = z.infer<typeof whatsappPayloadSchema>;

/** A customer's message: who, to which number, its id, and what it says (a tap reads as its value). */
export interface WhatsAppMessage {
  readonly phoneNumberId: string;
  readonly from: string;
  readonly id: string;
  readonly text: string;
}

/** The messages of a delivery, each as text: a list row `csat:4` tapped reads as "4". */
export function messagesOf(payload: WhatsAppPayload): WhatsAppMessage[] {
  const out: WhatsAppMessage[] = [];
  for (const entry of payload.entry)
    for (const change of entry.changes) {
      const phoneNumberId = change.value.metadata?.phone_number_id ?? '';
      for (const m of change.value.messages ?? []) {
        const choice = m.interactive?.list_reply ?? m.interactive?.button_reply;
        const tapped = choice ? (choice.id.split(':')[1] ?? choice.title) : undefined;
        const text = tapped ?? m.text?.body ?? m.button?.text ?? '';
        out.push({ phoneNumberId, from: m.from, id: m.id, text });
      }
    }
  return out;
}

/** `POST /v1/conversations`: survey one customer on WhatsApp, through a whatsapp source's number. */
export const conversationInputSchema = z.strictObject({
  /** The whatsapp webhook source whose number writes. */
  source: z.string().check(z.regex(/^[a-z0-9-]{1,32}$/)),
  /** The customer's number, E.164. */
  to: z.string().check(z.regex(/^\+[1-9]\d{7,14}$/, 'an E.164 number: + and 8 to 15 digits')),
  /** The survey (else the source's). */
  surveyId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  /** The customer's language (else the survey's default). */
  locale: z.optional(localeSchema),
  attributes: attributesSchema,
});

/** What a template opening an invitation's conversation carries back in its statuses. */
export const invitationCallback = (campaignId: string, contactId: string) => `inv:${campaignId}:${contactId}`;

/** The reach milestones a status stands for: read implies delivered, whichever comes first; failed is a bounce. */
const MILESTONES_OF: Readonly<Record<string, readonly ('delivered' | 'opened' | 'bounced')[]>> = {
  delivered: ['delivered'],
  read: ['delivered', 'opened'],
  failed: ['bounced'],
};

/** A status of an invitation's template: its campaign, contact, the milestones it stands for, and when. */
export interface InvitationStatus {
  readonly campaignId: string;
  readonly contactId: string;
  readonly milestones: readonly ('delivered' | 'opened' | 'bounced')[];
  readonly at: Date | undefined;
}

/** The statuses of a delivery that are about invitations (their callback data), as reach milestones. */
export function invitationStatusesOf(payload: WhatsAppPayload): InvitationStatus[] {
  const out: InvitationStatus[] = [];
  for (const entry of payload.entry)
    for (const change of entry.changes)
      for (const s of change.value.statuses ?? []) {
        const match = /^inv:([a-zA-Z0-9_-]{1,64}):([A-Za-z0-9_-]{1,64})$/.exec(
          s.biz_opaque_callback_data ?? '',
        );
        const milestones = MILESTONES_OF[s.status];
        if (!match || !milestones) continue;
        const seconds = Number(s.timestamp);
        out.push({
          campaignId: match[1] as string,
          contactId: match[2] as string,
          milestones,
          at: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined,
        });
      }
  return out;
}
