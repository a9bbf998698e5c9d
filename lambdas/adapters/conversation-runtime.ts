import type { CommentAnalyzer, ResponseStore, WebhookSourceStore } from '#capture/ports.ts';
import {
  type ConversationKind,
  DEFAULT_GRAPH_API_URL,
  DEFAULT_QUIET_MINUTES,
  isConversationKind,
  type WebhookSource,
} from '#capture/rules/webhook.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import type { ConversationStore } from '#conversations/ports.ts';
import {
  type ConversationDeps,
  startSurveyConversation,
  waIdOf,
} from '#conversations/use-cases/conversations.ts';
import type { ConversationStarter, SuppressionStore } from '#invitations/ports.ts';
import { contactIdOf } from '#invitations/rules/contacts.ts';
import { PermanentSendError } from '#invitations/use-cases/send-invitations.ts';
import { ConflictError, NotFoundError, ValidationError } from '#kernel/errors.ts';
import type { SurveyStore } from '#kernel/ports.ts';
import type { Locale } from '#kernel/survey.ts';
import { promptMessage } from '#views/conversation-messages.ts';
import { snsClient, systemClock } from './runtime.ts';
import { SmsMessenger } from './sns-sms.ts';
import { WhatsAppMessenger } from './whatsapp-messenger.ts';

export interface ConversationStores {
  readonly surveys: SurveyStore;
  readonly responses: ResponseStore;
  readonly analyzer: CommentAnalyzer;
  readonly conversations: ConversationStore;
  readonly suppressions: SuppressionStore;
}

/** The number a source's conversations are kept under: WhatsApp's phone number id; an SMS number's digits. */
export function conversationNumberOf(source: WebhookSource): string | undefined {
  if (source.kind === 'whatsapp') return source.phoneNumberId;
  if (source.kind === 'sms' && source.phoneNumber) return waIdOf(source.phoneNumber);
  return undefined;
}

/** A whatsapp or sms source's conversations: its number, its tokens, its quiet time; the views' words. */
export function conversationDepsOf(source: WebhookSource, stores: ConversationStores): ConversationDeps {
  return {
    surveys: stores.surveys,
    responses: stores.responses,
    analyzer: stores.analyzer,
    conversations: stores.conversations,
    messenger:
      source.kind === 'sms'
        ? new SmsMessenger(snsClient(), source.phoneNumber ?? '')
        : new WhatsAppMessenger(
            source.graphApiUrl ?? DEFAULT_GRAPH_API_URL,
            source.phoneNumberId ?? '',
            source.accessToken ?? '',
          ),
    unsubscriber: {
      unsubscribe: (phone, at, contactId) =>
        stores.suppressions.suppress(contactId ?? contactIdOf(undefined, phone), 'unsubscribed', at),
    },
    clock: systemClock,
    render: promptMessage,
    source: source.name,
    channel: source.kind === 'sms' ? 'sms' : 'whatsapp',
    quietMinutes: source.quietMinutes ?? DEFAULT_QUIET_MINUTES,
  };
}

export interface OpenInput {
  readonly source: string;
  /** The survey (else the source's). */
  readonly surveyId?: string;
  /** E.164. */
  readonly to: string;
  /** The customer's language (else the survey's default). */
  readonly locale?: Locale;
  readonly attributes: Readonly<Record<string, string>>;
  readonly campaignId?: string;
  readonly contactId?: string;
  /** The channel the source must be on (a campaign's); either when absent. */
  readonly channel?: ConversationKind;
}

/**
 * Opens a survey conversation on a whatsapp or sms source's number: on WhatsApp with its approved template in the
 * customer's language; by SMS with the first question. The admin API's one customer, and each invitation of a
 * WhatsApp or conversational SMS campaign. No such source is a NotFoundError, no template for the language a
 * ValidationError.
 */
export async function openConversationOn(
  sources: WebhookSourceStore,
  stores: ConversationStores,
  input: OpenInput,
) {
  const source = await sources.get(input.source);
  const number = source && conversationNumberOf(source);
  const wanted = input.channel ?? (source && isConversationKind(source.kind) ? source.kind : 'whatsapp');
  if (!source || source.kind !== wanted || !number)
    throw new NotFoundError(`No ${wanted} source "${input.source}".`);
  const survey = await loadSurvey(stores.surveys, input.surveyId ?? source.surveyId ?? '');
  const locale = input.locale ?? survey.defaultLocale;
  const template = source.templates?.[locale];
  if (source.kind === 'whatsapp' && !template)
    throw new ValidationError(`The source has no template for "${locale}".`, [
      { field: 'locale', code: 'no_template', message: `set templates.${locale} on the source` },
    ]);
  const { source: _, channel: _c, ...rest } = input;
  return startSurveyConversation(conversationDepsOf(source, stores), {
    ...rest,
    surveyId: survey.id,
    locale,
    phoneNumberId: number,
    ...(template ? { template } : {}),
  });
}

/**
 * Conversational invitations of campaigns: each opens the contact's conversation on the source's number, on
 * WhatsApp with its template in their language. What no retry can mend (no such source, no template, a customer in an open conversation) fails that
 * invitation alone.
 */
export function conversationStarter(
  sources: WebhookSourceStore,
  stores: ConversationStores,
): ConversationStarter {
  return {
    async start(input) {
      try {
        return { messageId: (await openConversationOn(sources, stores, input)).messageId };
      } catch (err) {
        if (err instanceof NotFoundError || err instanceof ConflictError || err instanceof ValidationError)
          throw new PermanentSendError(err.message);
        throw err;
      }
    },
  };
}
