import { describe, expect, it } from 'vitest';
import { onReply, startConversation } from '#conversations/rules/conversation.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { promptMessage } from '#views/conversation-messages.ts';

const survey = surveySchema.parse(demoSurvey);
const t0 = new Date('2026-12-03T10:00:00.000Z');

describe('conversation messages', () => {
  it('asks the NPS for a number from 0 to 10, in the customer’s language', () => {
    const { state, prompts } = startConversation(survey, 'wa.1', 'es', t0);
    const message = promptMessage(survey, state, prompts[0] ?? { kind: 'thanks' });
    expect(message.text).toContain('Responde con un número del 0 (nada probable) al 10 (muy probable).');
    expect(message.options).toBeUndefined();
  });

  it.each([
    ['3', 'es', 'Lo sentimos. ¿Qué salió mal?'],
    ['8', 'pt', 'O que poderíamos fazer melhor?'],
    ['10', 'en', 'Great to hear! What did you like most?'],
  ] as const)('words the why by the score (%s, %s)', (score, locale, why) => {
    const start = startConversation(survey, 'wa.1', locale, t0);
    const step = onReply(survey, start.state, score, t0);
    expect(promptMessage(survey, step.state, step.prompts[0] ?? { kind: 'thanks' }).text).toBe(why);
  });

  it('shows CSAT as five choices, and the same written out for SMS', () => {
    let step = startConversation(survey, 'wa.1', 'pt', t0);
    step = onReply(survey, step.state, '9', t0);
    step = onReply(survey, step.state, 'Rápido', t0);
    const message = promptMessage(survey, step.state, step.prompts[0] ?? { kind: 'thanks' });
    expect(message.options?.map((o) => o.id)).toEqual(['csat:1', 'csat:2', 'csat:3', 'csat:4', 'csat:5']);
    expect(message.options?.every((o) => o.title.length <= 24 && (o.description ?? '').length <= 72)).toBe(
      true,
    );
    expect(message.choose).toBe('Escolher');
    expect(message.plain).toContain('1 - Muito insatisfeito');
    expect(message.plain).toContain('Responda com um número de 1 a 5:');
  });

  it('asks again with a hint, and says goodbye and thanks in the language', () => {
    const start = startConversation(survey, 'wa.1', 'en', t0);
    const unclear = onReply(survey, start.state, 'hmm', t0);
    expect(promptMessage(survey, unclear.state, unclear.prompts[0] ?? { kind: 'thanks' }).text).toBe(
      'Sorry, I did not understand. Reply with a number from 0 (not at all likely) to 10 (extremely likely).',
    );
    expect(promptMessage(survey, start.state, { kind: 'unsubscribed' }).text).toBe(
      'Done: we will not send you more surveys.',
    );
    expect(promptMessage(survey, start.state, { kind: 'thanks' }).text).toBe(
      'Thank you! Your answers help us improve.',
    );
  });
});
