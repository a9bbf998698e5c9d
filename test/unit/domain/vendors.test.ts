import { describe, expect, it } from 'vitest';
import { twilioAnswers, zendeskAnswers, zendeskBodySchema } from '#capture/rules/vendors.ts';
import { liveSecrets, rotated, sourceView, type WebhookSource } from '#capture/rules/webhook.ts';
import { recordAnswers } from '#capture/use-cases/record-response.ts';
import {
  putWebhookSource,
  rotateWebhookSecret,
  setWebhookSecrets,
  sourceToVerify,
} from '#capture/use-cases/webhook-sources.ts';
import { ConflictError, ValidationError } from '#kernel/errors.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { builtinAnalyzer, fixedClock, MemoryResponseStore, MemorySurveyStore } from '../../support/fakes.ts';

const survey = surveySchema.parse(demoSurvey);
const CALL = `CA${'0f'.repeat(16)}`;
const source = (over: Partial<WebhookSource> = {}): WebhookSource => ({
  name: 'ivr',
  kind: 'twilio',
  url: 'https://api.example.com/v1/webhooks/ivr',
  surveyId: 'demo',
  secrets: [{ value: 'a'.repeat(32), addedAt: '2026-12-01T00:00:00.000Z' }],
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...over,
});

describe('a Twilio request as answers', () => {
  it('reads one question and its answer under the call', () => {
    const read = twilioAnswers(
      { CallSid: CALL, question: 'nps', answer: '3', 'attributes.store': 's-001' },
      source(),
    );
    expect(read).toEqual({
      surveyId: 'demo',
      submissionId: `twilio.${CALL}`,
      answers: { nps: '3' },
      attributes: { store: 's-001' },
      interaction: { id: CALL, vendor: 'twilio' },
    });
  });

  it("takes Gather's Digits as the answer, and the survey and language from the fields", () => {
    const read = twilioAnswers(
      { CallSid: CALL, question: 'csat', Digits: '4', survey: 'other', lang: 'es-MX' },
      source(),
    );
    expect(read).toMatchObject({ surveyId: 'other', answers: { csat: '4' }, locale: 'es' });
  });

  it('reads several answers at the end of a call, nested (JSON) or flat (form)', () => {
    const nested = twilioAnswers({ CallSid: CALL, answers: { nps: 9, csat: 5 } }, source());
    const flat = twilioAnswers({ CallSid: CALL, 'answers.nps': '9', 'answers.csat': '5' }, source());
    expect(nested.answers).toEqual({ nps: 9, csat: 5 });
    expect(flat.answers).toEqual({ nps: '9', csat: '5' });
  });

  it.each([
    ['no call or message id', { question: 'nps', answer: '9' }, 'CallSid'],
    ['a made-up call id', { CallSid: 'CA-123', question: 'nps', answer: '9' }, 'CallSid'],
    ['a question without an answer', { CallSid: CALL, question: 'nps' }, 'answer'],
    ['no answer at all', { CallSid: CALL }, 'question'],
    [
      'a question named like a property of every object',
      { CallSid: CALL, question: '__proto__', answer: '1' },
      'question',
    ],
    [
      'an attribute with a control character',
      { CallSid: CALL, question: 'nps', answer: '1', 'attributes.store': 'a\nb' },
      'attributes',
    ],
  ])('refuses %s with a field error', (_, fields, field) => {
    try {
      twilioAnswers(fields, source());
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).errors.map((e) => e.field)).toContain(field);
    }
  });

  it('needs a survey from the request or the source', () => {
    expect(() =>
      twilioAnswers({ CallSid: CALL, question: 'nps', answer: '9' }, source({ surveyId: undefined })),
    ).toThrow(ValidationError);
  });
});

describe('a Zendesk satisfaction rating as answers', () => {
  const zendesk = source({ name: 'zendesk', kind: 'zendesk', url: undefined });
  const body = (satisfaction: Record<string, unknown>, ticket: Record<string, unknown> = {}) =>
    zendeskBodySchema.parse({ ticket: { id: '4321', ...ticket }, satisfaction });

  it.each([
    ['good', 5],
    ["Good, I'm satisfied", 5],
    ['bad', 1],
    ["Bad, I'm unsatisfied", 1],
    ['Malo', 1],
    ['Ruim', 1],
    ['Bom', 5],
    ['4', 4],
  ] as const)('reads %s as a CSAT of %s', (rating, score) => {
    expect(zendeskAnswers(body({ rating }), zendesk, survey).answers).toEqual({ csat: score });
  });

  it("takes the comment, the ticket's group, assignee, brand and channel, and links back to the ticket", () => {
    const read = zendeskAnswers(
      body(
        { rating: 'bad', comment: 'Nadie respondió en tres días' },
        {
          url: 'acme.zendesk.com/agent/tickets/4321',
          group: 'Soporte',
          assignee: 'Lucía',
          brand: 'Acme',
          channel: 'Web Form',
          language: 'Español',
          createdAt: '2026-12-01T09:30Z',
          solvedAt: '2026-12-03T16:45Z',
        },
      ),
      zendesk,
      survey,
    );
    expect(read).toEqual({
      surveyId: 'demo',
      submissionId: 'zendesk.4321',
      answers: { csat: 1, comment: 'Nadie respondió en tres días' },
      attributes: { ticket: '4321', group: 'Soporte', assignee: 'Lucía', brand: 'Acme', channel: 'Web Form' },
      locale: 'es',
      interaction: {
        id: '4321',
        vendor: 'zendesk',
        url: 'https://acme.zendesk.com/agent/tickets/4321',
        channel: 'Web Form',
        queue: 'Soporte',
        agent: 'Lucía',
        openedAt: '2026-12-01T09:30:00Z',
        resolvedAt: '2026-12-03T16:45:00Z',
      },
    });
  });

  it('takes how the ticket went from the body, and refuses a resolution before the opening', () => {
    const facts = (interaction: Record<string, unknown>) =>
      zendeskAnswers(
        zendeskBodySchema.parse({
          ticket: { id: '9', createdAt: '2026-12-01T09:30Z' },
          satisfaction: { rating: 'good' },
          interaction,
        }),
        zendesk,
        survey,
      ).interaction;
    expect(
      facts({ firstResponseAt: '2026-12-01T09:42:00Z', contacts: 1, resolvedOnFirstContact: true }),
    ).toMatchObject({
      openedAt: '2026-12-01T09:30:00Z',
      firstResponseAt: '2026-12-01T09:42:00Z',
      contacts: 1,
      resolvedOnFirstContact: true,
    });
    expect(() => facts({ resolvedAt: '2026-11-30T00:00:00Z' })).toThrow(ValidationError);
    expect(() => facts({ contacts: 0 })).toThrow(ValidationError);
  });

  it('leaves out what Zendesk rendered empty', () => {
    const read = zendeskAnswers(
      body({ rating: 'good', comment: '' }, { group: '', url: '' }),
      zendesk,
      survey,
    );
    expect(read.answers).toEqual({ csat: 5 });
    expect(read.attributes).toEqual({ ticket: '4321' });
    expect(read.interaction).toEqual({ id: '4321', vendor: 'zendesk' });
  });

  it('answers the questions the source names', () => {
    const read = zendeskAnswers(body({ rating: 'bad' }), { ...zendesk, ratingQuestion: 'nps' }, survey);
    expect(read.answers).toEqual({ nps: 0 });
  });

  it.each(['offered', 'unoffered', ''])('refuses a ticket not rated yet (%s)', (rating) => {
    expect(() => zendeskAnswers(body({ rating }), zendesk, survey)).toThrow(ValidationError);
  });

  it('refuses a body that is not a trigger of the documented shape', () => {
    expect(
      zendeskBodySchema.safeParse({ ticket: { id: 'abc' }, satisfaction: { rating: 'good' } }).success,
    ).toBe(false);
    expect(zendeskBodySchema.safeParse({ satisfaction: { rating: 'good' } }).success).toBe(false);
  });
});

describe('webhook sources', () => {
  const setup = () => {
    const items = new Map<string, WebhookSource>();
    const sources = {
      get: async (name: string) => items.get(name),
      list: async () => [...items.values()],
      create: async (s: WebhookSource) => {
        if (items.has(s.name)) return false;
        items.set(s.name, s);
        return true;
      },
      put: async (s: WebhookSource) => {
        items.set(s.name, s);
      },
      delete: async (name: string) => items.delete(name),
    };
    let n = 0;
    const clock = fixedClock('2026-12-03T10:00:00.000Z');
    return { items, clock, deps: { sources, clock, newSecret: () => `whsec_${String(++n).repeat(40)}` } };
  };

  it('makes a standard source with a secret answered once, and never shows it again', async () => {
    const { deps } = setup();
    const made = await putWebhookSource(deps, 'kiosk', { kind: 'standard' });
    expect(made.status).toBe('created');
    expect(made).toHaveProperty('secret', `whsec_${'1'.repeat(40)}`);
    expect(JSON.stringify(made.source)).not.toContain('whsec_');
    const changed = await putWebhookSource(deps, 'kiosk', { kind: 'standard', surveyId: 'demo' });
    expect(changed).toEqual({ status: 'updated', source: expect.objectContaining({ surveyId: 'demo' }) });
    expect(changed).not.toHaveProperty('secret');
  });

  it("takes a vendor's secret as given, and refuses one of another form", async () => {
    const { deps } = setup();
    await expect(
      putWebhookSource(deps, 'ivr', { kind: 'twilio', url: 'https://x.example/v1/webhooks/ivr' }),
    ).rejects.toThrow(ValidationError);
    const made = await putWebhookSource(deps, 'ivr', {
      kind: 'twilio',
      url: 'https://x.example/v1/webhooks/ivr',
      secret: 'b'.repeat(32),
    });
    expect(made).not.toHaveProperty('secret');
  });

  it('keeps the kind and the secret of a source when its settings change', async () => {
    const { deps } = setup();
    await putWebhookSource(deps, 'zendesk', { kind: 'zendesk', surveyId: 'demo', secret: 'z'.repeat(40) });
    await expect(putWebhookSource(deps, 'zendesk', { kind: 'standard' })).rejects.toThrow(ConflictError);
    await expect(
      putWebhookSource(deps, 'zendesk', { kind: 'zendesk', surveyId: 'demo', secret: 'y'.repeat(40) }),
    ).rejects.toThrow(ConflictError);
    await expect(setWebhookSecrets(deps, 'zendesk', [`whsec_${'a'.repeat(40)}`])).rejects.toThrow(
      ConflictError,
    );
  });

  it('rotates: the new secret and the one it replaces both sign until the old one retires', async () => {
    const { deps, clock } = setup();
    await putWebhookSource(deps, 'kiosk', { kind: 'standard' });
    const { secret } = await rotateWebhookSecret(deps, 'kiosk', { previousValidForHours: 2 });
    const during = await sourceToVerify(deps.sources, 'kiosk', clock.now());
    expect(during.secrets).toEqual([secret, `whsec_${'1'.repeat(40)}`]);
    const later = await sourceToVerify(
      deps.sources,
      'kiosk',
      new Date(clock.now().getTime() + 2 * 3_600_000 + 1),
    );
    expect(later.secrets).toEqual([secret]);
  });

  it('keeps two secrets at most while rotating, and at once with no overlap', () => {
    const now = new Date('2026-12-03T10:00:00.000Z');
    const twice = rotated(rotated(source(), 'b'.repeat(32), now, 24), 'c'.repeat(32), now, 24);
    expect(twice.secrets.map((s) => s.value)).toEqual(['c'.repeat(32), 'b'.repeat(32)]);
    const abrupt = rotated(source(), 'b'.repeat(32), now, 0);
    expect(liveSecrets(abrupt, now)).toEqual(['b'.repeat(32)]);
    expect(sourceView(twice).secrets).toEqual([
      { addedAt: now.toISOString() },
      { addedAt: now.toISOString(), retiresAt: '2026-12-04T10:00:00.000Z' },
    ]);
  });
});

describe('answers that arrive one question at a time', () => {
  const setup = () => {
    const responses = new MemoryResponseStore();
    return {
      responses,
      deps: {
        surveys: new MemorySurveyStore([survey]),
        responses,
        analyzer: builtinAnalyzer,
        clock: fixedClock(),
      },
    };
  };
  const part = (answers: Record<string, unknown>) => ({
    surveyId: 'demo',
    submissionId: `twilio.${CALL}`,
    answers,
    attributes: { store: 's-001' },
    capturedVia: 'webhook:ivr' as const,
  });

  it('keeps what a caller answered before hanging up, without the required questions', async () => {
    const { deps, responses } = setup();
    expect((await recordAnswers(deps, part({ nps: '3' }))).added).toEqual(['nps']);
    expect((await recordAnswers(deps, part({ csat: '2' }))).added).toEqual(['csat']);
    expect([...responses.items.values()][0]?.answers).toEqual({ nps: 3, csat: 2 });
  });

  it('adds nothing for a repeat, and only what is new when answers come again with more', async () => {
    const { deps } = setup();
    await recordAnswers(deps, part({ nps: '3' }));
    expect(await recordAnswers(deps, part({ nps: '3' }))).toMatchObject({ status: 'duplicate', added: [] });
    expect(await recordAnswers(deps, part({ nps: 3, ces: 2 }))).toMatchObject({
      status: 'created',
      added: ['ces'],
    });
  });

  it('refuses another answer to a question already answered, and stores nothing of that request', async () => {
    const { deps, responses } = setup();
    await recordAnswers(deps, part({ nps: '3' }));
    await expect(recordAnswers(deps, part({ nps: '9', csat: '5' }))).rejects.toThrow(ConflictError);
    expect([...responses.items.values()][0]?.answers).toEqual({ nps: 3 });
  });

  it('still checks each answer against its question', async () => {
    const { deps } = setup();
    await expect(recordAnswers(deps, part({ nps: '11' }))).rejects.toThrow(ValidationError);
    await expect(recordAnswers(deps, part({ wait: '1' }))).rejects.toThrow(ValidationError);
  });
});
