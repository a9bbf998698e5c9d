import type { Locale } from '#kernel/survey.ts';
import type { ConversationState } from './rules/conversation.ts';

/** A choice shown under a message: WhatsApp's list rows; a numbered line in an SMS. */
export interface ChatOption {
  /** What a tap answers: `<questionId>:<value>`. */
  readonly id: string;
  /** At most 24 characters (WhatsApp's row title). */
  readonly title: string;
  /** At most 72 characters (WhatsApp's row description). */
  readonly description?: string;
}

/** One message of a conversation, as every channel can send it. */
export interface ChatMessage {
  readonly text: string;
  readonly options?: readonly ChatOption[];
  /** The label of the button that opens the choices. */
  readonly choose?: string;
  /** The same message for a channel that shows no choices (SMS): the choices written out. */
  readonly plain?: string;
}

/** The approved template that opens a conversation outside the customer's 24-hour window. */
export interface TemplateMessage {
  readonly name: string;
  readonly language: string;
  /** The body's variables, in order: the first question. */
  readonly parameters: readonly string[];
  /** Given back with the message's statuses (Meta's `biz_opaque_callback_data`): the invitation it opens. */
  readonly callbackData?: string;
}

/** Where a conversation's messages go: a business number on a channel. */
export interface Messenger {
  /** Sends a message to a customer; answers the channel's id of it (a wamid). */
  send(to: string, message: ChatMessage | { readonly template: TemplateMessage }): Promise<{ id: string }>;
}

/** A conversation with one customer on one business number. */
export interface Conversation {
  /** The webhook source it runs on (its number, its tokens). */
  readonly source: string;
  readonly phoneNumberId: string;
  /** The customer's number, digits only (WhatsApp's wa_id). */
  readonly customer: string;
  readonly state: ConversationState;
  /** The place its answers count in. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The campaign whose invitation opened it, and the contact invited: its answers complete that invitation. */
  readonly campaignId?: string;
  readonly contactId?: string;
  /** The last messages it took (their ids): a delivery Meta sends again counts nothing. */
  readonly seen: readonly string[];
  readonly startedAt: string;
  /** When the customer last wrote: free-form messages only within 24 hours of it. */
  readonly lastInboundAt?: string;
  /** While open: when it ends if the customer writes nothing more (its source's quiet time after the last message). */
  readonly quietAt?: string;
  /** Optimistic lock: each save expects the version it read. */
  readonly version: number;
}

export interface ConversationStore {
  get(phoneNumberId: string, customer: string): Promise<Conversation | undefined>;
  /** Saves if the stored version is `expected` (absent for a new one); false when another write came first. */
  save(conversation: Conversation, expected: number | undefined): Promise<boolean>;
  /** Open conversations whose quiet time came by `now`, the earliest first, at most `limit`. */
  listQuiet(now: Date, limit: number): Promise<Conversation[]>;
}

/** Suppresses a customer who asked to stop, on every campaign and channel. */
export interface Unsubscriber {
  /** The contact invited, when a campaign opened the conversation; else the contact of the number. */
  unsubscribe(phone: string, at: Date, contactId?: string): Promise<void>;
}

export type { Locale };
