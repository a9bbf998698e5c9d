import type { CommentAnalyzer, ResponseStore } from '#capture/ports.ts';
import { loadSurvey, recordAnswers } from '#capture/use-cases/record-response.ts';
import { ConflictError } from '#kernel/errors.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import type { Locale, Survey } from '#kernel/survey.ts';
import type {
  ChatMessage,
  Conversation,
  ConversationStore,
  Messenger,
  TemplateMessage,
  Unsubscriber,
} from '../ports.ts';
import {
  type ConversationState,
  endedQuiet,
  endIfQuiet,
  type InboundMessage,
  onReply,
  type Prompt,
  quietAtOf,
  startConversation,
} from '../rules/conversation.ts';
import { isStop } from '../rules/replies.ts';
import { invitationCallback } from '../rules/whatsapp.ts';

/** How many message ids a conversation remembers, so a delivery sent again counts nothing. */
const SEEN = 20;

export interface ConversationDeps {
  readonly surveys: SurveyStore;
  readonly responses: ResponseStore;
  readonly analyzer: CommentAnalyzer;
  readonly conversations: ConversationStore;
  readonly messenger: Messenger;
  readonly unsubscriber: Unsubscriber;
  readonly clock: Clock;
  /** A prompt of the rules in the customer's language (views/conversation-messages.ts). */
  readonly render: (survey: Survey, state: ConversationState, prompt: Prompt) => ChatMessage;
  /** The webhook source the conversations run on: the channel answers are captured through. */
  readonly source: string;
  /** Which channel it is: WhatsApp opens with an approved template; SMS with the first question itself. */
  readonly channel: 'whatsapp' | 'sms';
  readonly quietMinutes: number;
}

/** A customer's number as conversations key it (WhatsApp's wa_id): digits, no `+`. */
export const waIdOf = (phone: string) => phone.replace(/[^\d]/g, '');

export interface StartInput {
  readonly surveyId: string;
  readonly phoneNumberId: string;
  /** The customer's number, E.164. */
  readonly to: string;
  readonly locale: Locale;
  readonly attributes: Readonly<Record<string, string>>;
  /** WhatsApp: the approved template that opens it in this language. SMS opens with the first question. */
  readonly template?: Omit<TemplateMessage, 'parameters'>;
  /** When a campaign's invitation opens it. */
  readonly campaignId?: string;
  readonly contactId?: string;
}

/**
 * Opens a survey conversation with a customer. On WhatsApp the approved template (the only message allowed
 * outside their 24-hour window) carries the first question; an SMS is the first question, with how to stop. A
 * customer already in an open conversation on this number is not
 * asked again (409).
 */
export async function startSurveyConversation(
  deps: ConversationDeps,
  input: StartInput,
): Promise<Conversation & { readonly messageId: string }> {
  const now = deps.clock.now();
  const customer = waIdOf(input.to);
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const existing = await deps.conversations.get(input.phoneNumberId, customer);
  if (existing && endIfQuiet(existing.state, now, deps.quietMinutes).status === 'open')
    throw new ConflictError('This customer is in an open conversation on this number already.');
  const prefix = deps.channel === 'sms' ? 'sms' : 'wa';
  const submissionId = `${prefix}.${input.phoneNumberId}.${customer}.${now.getTime().toString(36)}`;
  const step = startConversation(survey, submissionId, input.locale, now);
  const conversation: Conversation = {
    source: deps.source,
    phoneNumberId: input.phoneNumberId,
    customer,
    state: step.state,
    attributes: input.attributes,
    ...(input.campaignId ? { campaignId: input.campaignId } : {}),
    ...(input.contactId ? { contactId: input.contactId } : {}),
    seen: [],
    startedAt: now.toISOString(),
    version: (existing?.version ?? 0) + 1,
  };
  if (!(await save(deps, conversation, existing?.version)))
    throw new ConflictError('Another conversation with this customer started meanwhile.');
  const [first] = step.prompts;
  let messageId: string;
  try {
    if (!input.template) {
      ({ id: messageId } = await deps.messenger.send(
        customer,
        first ? deps.render(survey, step.state, first) : { text: '' },
      ));
    } else {
      // The approved template says how to stop in its own words: its parameter is the question alone.
      const question =
        first?.kind === 'ask' ? deps.render(survey, step.state, { ...first, opening: false }).text : '';
      ({ id: messageId } = await deps.messenger.send(customer, {
        template: {
          ...input.template,
          parameters: [question],
          // Its statuses (delivered, read, failed) come back naming the invitation they are about.
          ...(input.campaignId && input.contactId
            ? { callbackData: invitationCallback(input.campaignId, input.contactId) }
            : {}),
        },
      }));
    }
  } catch (err) {
    // Nothing reached the customer: the conversation is not left open, so it can be started again.
    await save(
      deps,
      {
        ...conversation,
        state: { ...conversation.state, status: 'quiet' },
        version: conversation.version + 1,
      },
      conversation.version,
    );
    throw err;
  }
  return { ...conversation, messageId };
}

/** Saves a conversation with when it goes quiet while it is open (the quiet sweep's index), none once it ended. */
function save(
  deps: Pick<ConversationDeps, 'conversations' | 'quietMinutes'>,
  conversation: Conversation,
  expected: number | undefined,
): Promise<boolean> {
  const { quietAt: _, ...rest } = conversation;
  const quietAt = quietAtOf(conversation.state, deps.quietMinutes);
  return deps.conversations.save(quietAt ? { ...rest, quietAt } : rest, expected);
}

/**
 * Ends the conversations whose quiet time came by `now` (the scheduled sweep): each keeps what was answered, as
 * every answer was recorded when it came, and a later reply answers nothing. One whose customer wrote meanwhile
 * stays open (the save expects the version read). Answers how many ended.
 */
export async function endQuietConversations(
  deps: { readonly conversations: ConversationStore },
  now: Date,
  limit = 500,
): Promise<number> {
  let ended = 0;
  for (const conversation of await deps.conversations.listQuiet(now, limit)) {
    if (conversation.state.status !== 'open') continue;
    const { quietAt: _, ...rest } = conversation;
    const saved = await deps.conversations.save(
      { ...rest, state: endedQuiet(conversation.state), version: conversation.version + 1 },
      conversation.version,
    );
    if (saved) ended++;
  }
  return ended;
}

export type InboundOutcome =
  | 'answered'
  | 'asked-again'
  | 'stopped'
  | 'ignored'
  | 'duplicate'
  | 'no-conversation';

/**
 * A customer's message: the reply to the awaited question, read by the conversation rules. Its answer is recorded
 * at once (each question once, under the conversation's submission), the next message sent, and the conversation
 * saved with the message's id, so a delivery sent again, or two at once, counts nothing twice. A stop word
 * unsubscribes the customer from every campaign, in a conversation or not.
 */
export async function onInboundMessage(
  deps: ConversationDeps,
  message: InboundMessage,
): Promise<InboundOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = deps.clock.now();
    const conversation = await deps.conversations.get(message.phoneNumberId, message.from);
    if (!conversation) {
      if (!isStop(message.text)) return 'no-conversation';
      await deps.unsubscriber.unsubscribe(`+${message.from}`, now);
      return 'stopped';
    }
    if (conversation.seen.includes(message.id)) return 'duplicate';
    const survey = await loadSurvey(deps.surveys, conversation.state.surveyId);
    const state = endIfQuiet(conversation.state, now, deps.quietMinutes);
    const step = onReply(survey, state, message.text, now);
    if (step.answer)
      await recordAnswers(
        { surveys: deps.surveys, responses: deps.responses, analyzer: deps.analyzer, clock: deps.clock },
        {
          surveyId: survey.id,
          submissionId: state.submissionId,
          answers: { [step.answer.questionId]: step.answer.value },
          attributes: conversation.attributes,
          locale: state.locale,
          capturedVia: `webhook:${deps.source}`,
          ...(conversation.campaignId ? { campaignId: conversation.campaignId } : {}),
          interaction: {
            id: state.submissionId,
            vendor: deps.channel === 'sms' ? 'aws-sms' : 'whatsapp',
            channel: deps.channel,
          },
        },
      );
    if (step.unsubscribe)
      await deps.unsubscriber.unsubscribe(`+${message.from}`, now, conversation.contactId);
    // The customer just wrote, so their 24-hour window is open: the next question goes as a free-form message.
    // Pulso writes only in reply; outside the window it sends the opening template alone.
    for (const prompt of step.prompts)
      await deps.messenger.send(message.from, deps.render(survey, step.state, prompt));
    const saved = await save(
      deps,
      {
        ...conversation,
        state: step.state,
        seen: [...conversation.seen, message.id].slice(-SEEN),
        lastInboundAt: now.toISOString(),
        version: conversation.version + 1,
      },
      conversation.version,
    );
    if (saved)
      return step.unsubscribe
        ? 'stopped'
        : step.answer
          ? 'answered'
          : step.prompts.length > 0
            ? 'asked-again'
            : 'ignored';
  }
  throw new ConflictError(
    'The conversation changed three times while this message was read; it will be delivered again.',
  );
}
