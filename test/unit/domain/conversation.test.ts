import { describe, expect, it } from 'vitest';
import {
  type ConversationState,
  conversationOrder,
  endedQuiet,
  endIfQuiet,
  onReply,
  quietAtOf,
  startConversation,
} from '#conversations/rules/conversation.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';

const survey = surveySchema.parse(demoSurvey);
const t0 = new Date('2026-12-03T10:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

/** Plays replies one after the other, as they arrive. */
function play(replies: readonly string[], locale: 'en' | 'es' | 'pt' = 'es') {
  let step = startConversation(survey, 'wa.1', locale, t0);
  const steps = [step];
  replies.forEach((reply, i) => {
    step = onReply(survey, step.state, reply, later(i + 1));
    steps.push(step);
  });
  return steps;
}

describe('a survey as a conversation', () => {
  it("asks the NPS first, then the why while it is fresh, then the rest in the survey's order", () => {
    expect(conversationOrder(survey).map((q) => q.id)).toEqual(['nps', 'comment', 'csat', 'ces']);
    expect(startConversation(survey, 'wa.1', 'es', t0).prompts).toEqual([
      { kind: 'ask', questionId: 'nps', hint: false, opening: true },
    ]);
  });

  it('records each answer as it comes and thanks at the end', () => {
    const steps = play(['3', 'Tardaron una hora en atenderme', '😞', '2']);
    expect(steps.slice(1).map((s) => s.answer)).toEqual([
      { questionId: 'nps', value: 3 },
      { questionId: 'comment', value: 'Tardaron una hora en atenderme' },
      { questionId: 'csat', value: 2 },
      { questionId: 'ces', value: 2 },
    ]);
    expect(steps[1]?.prompts).toEqual([{ kind: 'ask', questionId: 'comment', hint: false }]);
    const last = steps.at(-1);
    expect(last?.prompts).toEqual([{ kind: 'thanks' }]);
    expect(last?.state).toMatchObject({ status: 'finished', answers: { nps: 3, csat: 2, ces: 2 } });
    expect(last?.state).not.toHaveProperty('awaiting');
  });

  it('asks an unclear reply again once with a hint, then moves on without an answer', () => {
    const steps = play(['muy bien', 'bastante', 'nueve']);
    expect(steps[1]?.prompts).toEqual([{ kind: 'ask', questionId: 'nps', hint: true }]);
    expect(steps[1]?.answer).toBeUndefined();
    expect(steps[2]?.prompts).toEqual([{ kind: 'ask', questionId: 'comment', hint: false }]);
    expect(steps[2]?.state.answers).toEqual({});
    // "nueve" is the comment now: the why question takes any text.
    expect(steps[3]?.answer).toEqual({ questionId: 'comment', value: 'nueve' });
  });

  it('reads a number in words after an unclear reply', () => {
    const steps = play(['?', 'nueve']);
    expect(steps[2]?.answer).toEqual({ questionId: 'nps', value: 9 });
    expect(steps[2]?.state.retried).toBe(false);
  });

  it.each(['parar', 'STOP', 'basta'])('stops and unsubscribes on %j, keeping what was answered', (stop) => {
    const steps = play(['nueve', stop]);
    const last = steps.at(-1);
    expect(last?.unsubscribe).toBe(true);
    expect(last?.prompts).toEqual([{ kind: 'unsubscribed' }]);
    expect(last?.state).toMatchObject({ status: 'stopped', answers: { nps: 9 } });
  });

  it('takes no reply once it ended', () => {
    const stopped = play(['parar']).at(-1)?.state as ConversationState;
    expect(onReply(survey, stopped, '10', later(5))).toEqual({
      state: stopped,
      prompts: [],
      unsubscribe: false,
    });
  });

  it('ends a quiet conversation after its quiet time and keeps what was answered', () => {
    const open = play(['nueve']).at(-1)?.state as ConversationState;
    expect(endIfQuiet(open, later(30), 60)).toBe(open);
    const ended = endIfQuiet(open, later(61), 60);
    expect(ended).toMatchObject({ status: 'quiet', answers: { nps: 9 } });
    expect(ended).not.toHaveProperty('awaiting');
    expect(onReply(survey, ended, 'hola', later(90)).answer).toBeUndefined();
  });

  it('unsubscribes on a stop word after the conversation went quiet, with the confirmation', () => {
    const ended = endIfQuiet(play(['nueve']).at(-1)?.state as ConversationState, later(61), 60);
    const step = onReply(survey, ended, 'PARAR', later(90));
    expect(step.unsubscribe).toBe(true);
    expect(step.prompts).toEqual([{ kind: 'unsubscribed' }]);
    expect(step.state).toMatchObject({ status: 'stopped', answers: { nps: 9 } });
    expect(step.answer).toBeUndefined();
  });

  it('tells when an open conversation goes quiet, and nothing once it ended', () => {
    const open = play(['nueve']).at(-1)?.state as ConversationState;
    expect(quietAtOf(open, 60)).toBe(new Date(Date.parse(open.lastActivityAt) + 3_600_000).toISOString());
    expect(quietAtOf(endedQuiet(open), 60)).toBeUndefined();
    expect(endIfQuiet(open, new Date(quietAtOf(open, 60) as string), 60).status).toBe('quiet');
  });
});
