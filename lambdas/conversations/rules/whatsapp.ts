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
