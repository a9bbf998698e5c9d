import type { ChatMessage } from '#conversations/ports.ts';
import type { ConversationState, Prompt } from '#conversations/rules/conversation.ts';
import { conversationOrder } from '#conversations/rules/conversation.ts';
import { scoreBand } from '#kernel/metrics.ts';
import { type Locale, localized, type Question, type Survey } from '#kernel/survey.ts';
import { messages } from './i18n.ts';
import { fill } from './text.ts';

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The words of each point of a CSAT or CES scale, as the survey page shows them. */
function scaleWords(q: Question, locale: Locale): readonly string[] {
  const m = messages(locale);
  if (q.type === 'csat') return m.csat;
  if (q.type !== 'ces') return [];
  if (q.direction === 'high-is-easy') return q.scale === 7 ? m.agree7 : m.agree5;
  return q.scale === 7 ? m.effort7 : m.effort5;
}

/**
 * The question that explains the NPS (the why), worded by its score as the page words it: what went wrong, what
 * could be better, what they liked. Any other open question in its own words.
 */
function commentText(survey: Survey, q: Question, state: ConversationState): string {
  const m = messages(state.locale);
  const order = conversationOrder(survey);
  const nps = order.find((o) => o.type === 'nps');
  const score = nps ? state.answers[nps.id] : undefined;
  const isWhy = nps !== undefined && order[order.indexOf(nps) + 1] === q;
  if (!isWhy || nps.type !== 'nps' || typeof score !== 'number') return localized(q.text, state.locale);
  const band = scoreBand(nps, score);
  return band === 'promoter' ? m.commentPromoter : band === 'passive' ? m.commentPassive : m.commentDetractor;
}

/** A prompt of the conversation rules, in the customer's language; the opening one says how to stop. */
export function promptMessage(survey: Survey, state: ConversationState, prompt: Prompt): ChatMessage {
  const message = questionMessage(survey, state, prompt);
  if (prompt.kind !== 'ask' || !prompt.opening) return message;
  const { stopHow } = messages(state.locale).conversation;
  return {
    ...message,
    text: `${message.text}\n\n${stopHow}`,
    ...(message.plain ? { plain: `${message.plain}\n\n${stopHow}` } : {}),
  };
}

function questionMessage(survey: Survey, state: ConversationState, prompt: Prompt): ChatMessage {
  const m = messages(state.locale).conversation;
  if (prompt.kind === 'thanks') return { text: m.thanks };
  if (prompt.kind === 'unsubscribed') return { text: m.unsubscribed };
  const q = survey.questions.find((x) => x.id === prompt.questionId);
  if (!q) return { text: m.thanks };
  const asked = q.type === 'text' ? commentText(survey, q, state) : localized(q.text, state.locale);
  if (q.type === 'text') return { text: prompt.hint ? `${m.hint} ${m.commentHow}\n\n${asked}` : asked };
  if (q.type === 'nps') return { text: prompt.hint ? `${m.hint} ${m.npsHow}` : `${asked}\n\n${m.npsHow}` };
  const words = scaleWords(q, state.locale);
  const range = { min: '1', max: String(words.length) };
  const how = fill(m.scaleHow, range);
  const lead = prompt.hint ? m.hint : asked;
  return {
    text: prompt.hint ? `${m.hint} ${how}` : `${asked}\n\n${how}`,
    options: words.map((word, i) => ({
      id: `${q.id}:${i + 1}`,
      title: clip(`${i + 1}`, 24),
      description: clip(word, 72),
    })),
    choose: m.choose,
    plain: `${lead}\n\n${fill(m.scaleHowText, range)}\n${words.map((w, i) => `${i + 1} - ${w}`).join('\n')}`,
  };
}
