import { describe, expect, it } from 'vitest';
import type { InvitedAnswers } from '#capture/ports.ts';
import { showSurveyPage, submitSurveyPage } from '#capture/use-cases/survey-page.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { builtinAnalyzer, MemoryResponseStore, MemorySurveyStore } from '../../support/fakes.ts';
import { MemoryRateCounterStore, MemorySigningKeyStore } from '../../support/link-fakes.ts';

const survey = surveySchema.parse(demoSurvey);
const client = { deviceId: 'd-1', sourceIp: '203.0.113.9' };

function setup(link: { used?: boolean } = {}) {
  const answered: string[] = [];
  const invitedAnswers: InvitedAnswers = {
    open: async () => (link.used ? { status: 'answered' } : { status: 'open', submissionId: 'inv.c1.k1' }),
    answer: async (input) => {
      answered.push(input.token);
      return { status: link.used ? 'answered' : 'recorded' };
    },
  };
  const responses = new MemoryResponseStore();
  const deps = {
    surveys: new MemorySurveyStore([survey]),
    responses,
    analyzer: builtinAnalyzer,
    signingKeys: new MemorySigningKeyStore(),
    rateCounters: new MemoryRateCounterStore(),
    invitedAnswers,
    clock: { now: () => new Date('2026-12-01T10:00:00Z') },
  };
  return { deps, responses, answered };
}

describe('the survey page use cases', () => {
  it('shows an invitation link with its submission and the emailed score, and says so when it was used', async () => {
    const shown = await showSurveyPage(setup().deps, survey, { t: 'tok', score: '9' });
    expect(shown).toMatchObject({
      kind: 'form',
      token: 'tok',
      submissionId: 'inv.c1.k1',
      values: { nps: '9' },
    });
    expect(await showSurveyPage(setup({ used: true }).deps, survey, { t: 'tok' })).toEqual({
      kind: 'already-answered',
    });
  });

  it('answers an invited post through its invitation once, and says so when the link was used', async () => {
    const fresh = setup();
    const form = new URLSearchParams({ t: 'tok', submissionId: 'inv.c1.k1', nps: '3' });
    expect(await submitSurveyPage(fresh.deps, survey, form, 'en', client)).toEqual({ kind: 'thanks' });
    expect(fresh.answered).toEqual(['tok']);
    const used = setup({ used: true });
    expect(await submitSurveyPage(used.deps, survey, form, 'en', client)).toEqual({
      kind: 'already-answered',
    });
  });

  it('gives the page back with a code per question and the answers kept when an answer is out of range', async () => {
    const { deps, responses } = setup();
    const form = new URLSearchParams({
      submissionId: 'a1b2c3d4e5f6',
      nps: '11',
      comment: 'Hi',
      'attr.store': 's-1',
    });
    const outcome = await submitSurveyPage(deps, survey, form, 'en', client);
    expect(outcome).toMatchObject({
      kind: 'invalid',
      form: {
        submissionId: 'a1b2c3d4e5f6',
        attributes: { store: 's-1' },
        values: { nps: '11', comment: 'Hi' },
      },
    });
    expect(outcome).toHaveProperty('errors.nps');
    expect(outcome).not.toHaveProperty('errors.comment');
    expect(await responses.get('demo', 'a1b2c3d4e5f6')).toBeUndefined();
  });
});
