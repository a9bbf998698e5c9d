import type { ResponseStore, WebhookSourceStore } from '#capture/ports.ts';
import { DEFAULT_GRAPH_API_URL, DEFAULT_QUIET_MINUTES, type WebhookSource } from '#capture/rules/webhook.ts';
import type { ConversationStore } from '#conversations/ports.ts';
import { type ConversationDeps, startSurveyConversation } from '#conversations/use-cases/conversations.ts';
import type { ConversationStarter, SuppressionStore } from '#invitations/ports.ts';
import { contactIdOf } from '#invitations/rules/contacts.ts';
import { PermanentSendError } from '#invitations/use-cases/send-invitations.ts';
import { ConflictError, ValidationError } from '#kernel/errors.ts';
import type { SurveyStore } from '#kernel/ports.ts';
import { promptMessage } from '#views/conversation-messages.ts';
import { systemClock } from './runtime.ts';
import { WhatsAppMessenger } from './whatsapp-messenger.ts';

export interface ConversationStores {
  readonly surveys: SurveyStore;
  readonly responses: ResponseStore;
  readonly conversations: ConversationStore;
  readonly suppressions: SuppressionStore;
}

/** A whatsapp source's conversations: its number, its tokens, its quiet time; the views' words. */
export function conversationDepsOf(source: WebhookSource, stores: ConversationStores): ConversationDeps {
  return {
    surveys: stores.surveys,
    responses: stores.responses,
    conversations: stores.conversations,
    messenger: new WhatsAppMessenger(
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
    quietMinutes: source.quietMinutes ?? DEFAULT_QUIET_MINUTES,
  };
}

/**
 * WhatsApp invitations of campaigns: each opens the contact's conversation with the source's template in their
 * language. What no retry can mend (no such source, no template, a customer in an open conversation) fails that
 * invitation alone.
 */
export function conversationStarter(
  sources: WebhookSourceStore,
  stores: ConversationStores,
): ConversationStarter {
  return {
    async start(input) {
      const source = await sources.get(input.source);
      if (source?.kind !== 'whatsapp' || !source.phoneNumberId)
        throw new PermanentSendError(`no whatsapp source "${input.source}"`);
      const template = source.templates?.[input.locale];
      if (!template) throw new PermanentSendError(`the source has no template for "${input.locale}"`);
      try {
        const opened = await startSurveyConversation(conversationDepsOf(source, stores), {
          surveyId: input.surveyId,
          phoneNumberId: source.phoneNumberId,
          to: input.to,
          locale: input.locale,
          attributes: input.attributes,
          template,
          campaignId: input.campaignId,
          contactId: input.contactId,
        });
        return { messageId: opened.messageId };
      } catch (err) {
        if (err instanceof ConflictError || err instanceof ValidationError)
          throw new PermanentSendError(err.message);
        throw err;
      }
    },
  };
}
