import type { Answer } from '#capture/rules/response.ts';
import { type Locale, type Question, type Survey, scaleOf } from '#kernel/survey.ts';
import { isStop, type Reading, readComment, readScore } from './replies.ts';

/**
 * A survey run as a conversation (WhatsApp, two-way SMS): one question per message, in the survey's order; each
 * reply read in the customer's language; an unclear reply asked again once, with a hint; a stop word ends it and
 * unsubscribes; a conversation that goes quiet ends and keeps what was answered. These rules say what to send
 * and what was answered; the channel renders the messages, and each answer is recorded as it comes (the
 * per-question capture of recordAnswers).
 */
export type ConversationStatus = 'open' | 'finished' | 'stopped' | 'quiet';

/** A customer's message to a business number, on any channel. */
export interface InboundMessage {
  readonly phoneNumberId: string;
  /** The customer, digits. */
  readonly from: string;
  /** The channel's id of the message (a wamid, an inbound SMS's id). */
  readonly id: string;
  readonly text: string;
}

export interface ConversationState {
  readonly surveyId: string;
  /** The submission its answers are recorded under. */
  readonly submissionId: string;
  readonly locale: Locale;
  readonly status: ConversationStatus;
  /** The question whose reply is awaited, while open. */
  readonly awaiting?: string;
  /** Whether the awaited question was asked again already (after an unclear reply). */
  readonly retried: boolean;
  readonly answers: Readonly<Record<string, Answer>>;
  /** ISO 8601: the last message either way, from which quiet is measured. */
  readonly lastActivityAt: string;
}

/** What to send: a question (again, with a hint, after an unclear reply), the thanks at the end, or the goodbye. */
export type Prompt =
  | {
      readonly kind: 'ask';
      readonly questionId: string;
      readonly hint: boolean;
      /** The first message of the conversation, which says how to stop. */
      readonly opening?: boolean;
    }
  | { readonly kind: 'thanks' }
  | { readonly kind: 'unsubscribed' };

export interface Step {
  readonly state: ConversationState;
  /** The answer to record, when the reply gave one. */
  readonly answer?: { readonly questionId: string; readonly value: Answer };
  readonly prompts: readonly Prompt[];
  /** The customer asked to stop: suppress them for every channel. */
  readonly unsubscribe: boolean;
}

/**
 * The order a conversation asks in: the survey's, but the "why" (the first text question after the first NPS
 * question, as the page words it by the score) right after the NPS, while the reason is fresh.
 */
export function conversationOrder(survey: Survey): readonly Question[] {
  const at = survey.questions.findIndex((q) => q.type === 'nps');
  if (at < 0) return survey.questions;
  const why = survey.questions.slice(at + 1).find((q) => q.type === 'text');
  if (!why) return survey.questions;
  const rest = survey.questions.filter((q) => q !== why);
  return [...rest.slice(0, at + 1), why, ...rest.slice(at + 1)];
}

/** The next question the conversation asks after `after` (or the first), skipping those answered. */
function nextQuestion(
  survey: Survey,
  answers: Readonly<Record<string, Answer>>,
  after?: string,
): Question | undefined {
  const order = conversationOrder(survey);
  const from = after === undefined ? 0 : order.findIndex((q) => q.id === after) + 1;
  return order.slice(from).find((q) => !(q.id in answers));
}

/** Opens a conversation on its first question. */
export function startConversation(survey: Survey, submissionId: string, locale: Locale, now: Date): Step {
  const first = conversationOrder(survey)[0];
  const state: ConversationState = {
    surveyId: survey.id,
    submissionId,
    locale,
    status: first ? 'open' : 'finished',
    ...(first ? { awaiting: first.id } : {}),
    retried: false,
    answers: {},
    lastActivityAt: now.toISOString(),
  };
  return {
    state,
    prompts: first ? [{ kind: 'ask', questionId: first.id, hint: false, opening: true }] : [],
    unsubscribe: false,
  };
}

/** A reply read as the awaited question asks: a score on its scale (faces on CSAT), or a comment. */
function read(question: Question, reply: string, locale: Locale): Reading | { kind: 'text'; text: string } {
  if (question.type === 'text') return readComment(reply);
  const { min, max } = scaleOf(question);
  return readScore(reply, { min, max, faces: question.type === 'csat' }, locale);
}

/** Moves on from the awaited question: to the next one, or to the end with thanks. */
function advance(
  survey: Survey,
  state: ConversationState,
  answers: Readonly<Record<string, Answer>>,
): Pick<Step, 'state' | 'prompts'> {
  const next = nextQuestion(survey, answers, state.awaiting);
  if (!next) {
    const { awaiting: _, ...rest } = state;
    return { state: { ...rest, answers, retried: false, status: 'finished' }, prompts: [{ kind: 'thanks' }] };
  }
  return {
    state: { ...state, answers, retried: false, awaiting: next.id },
    prompts: [{ kind: 'ask', questionId: next.id, hint: false }],
  };
}

/**
 * A customer's reply. A conversation that is not open takes nothing (a late reply after it ended is not an answer
 * to anything). A second unclear reply moves on without an answer: the customer is not asked a third time.
 */
export function onReply(survey: Survey, state: ConversationState, reply: string, now: Date): Step {
  const question = survey.questions.find((q) => q.id === state.awaiting);
  const at = { ...state, lastActivityAt: now.toISOString() };
  if (state.status !== 'open' || !question) {
    // A stop word unsubscribes whenever it comes: after the survey ended, or went quiet, as much as during it.
    if (!isStop(reply)) return { state, prompts: [], unsubscribe: false };
    const { awaiting: _, ...rest } = at;
    return { state: { ...rest, status: 'stopped' }, prompts: [{ kind: 'unsubscribed' }], unsubscribe: true };
  }
  const reading = read(question, reply, state.locale);
  if (reading.kind === 'stop') {
    const { awaiting: _, ...rest } = at;
    return { state: { ...rest, status: 'stopped' }, prompts: [{ kind: 'unsubscribed' }], unsubscribe: true };
  }
  if (reading.kind === 'unclear') {
    if (!state.retried)
      return {
        state: { ...at, retried: true },
        prompts: [{ kind: 'ask', questionId: question.id, hint: true }],
        unsubscribe: false,
      };
    return { ...advance(survey, at, at.answers), unsubscribe: false };
  }
  const value: Answer = reading.kind === 'score' ? reading.score : reading.text;
  const answers = { ...at.answers, [question.id]: value };
  return { ...advance(survey, at, answers), answer: { questionId: question.id, value }, unsubscribe: false };
}

/** When an open conversation ends if the customer writes nothing more; undefined once it ended. */
export function quietAtOf(state: ConversationState, quietMinutes: number): string | undefined {
  if (state.status !== 'open') return undefined;
  return new Date(Date.parse(state.lastActivityAt) + quietMinutes * 60_000).toISOString();
}

/** Ends an open conversation that has been quiet `quietMinutes` or more; what was answered stays recorded. */
export function endIfQuiet(state: ConversationState, now: Date, quietMinutes: number): ConversationState {
  const quietAt = quietAtOf(state, quietMinutes);
  return quietAt !== undefined && now.getTime() >= Date.parse(quietAt) ? endedQuiet(state) : state;
}

/** An open conversation ended because the customer went quiet: it awaits nothing more. */
export function endedQuiet(state: ConversationState): ConversationState {
  if (state.status !== 'open') return state;
  const { awaiting: _, ...rest } = state;
  return { ...rest, status: 'quiet' };
}
