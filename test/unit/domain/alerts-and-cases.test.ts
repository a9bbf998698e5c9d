import { describe, expect, it } from 'vitest';
import { buildResponse } from '#capture/rules/response.ts';
import { InvalidStateError, ValidationError } from '#kernel/errors.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { caseIdOf } from '#loop/rules/cases.ts';
import {
  acknowledgeCase,
  assignCase,
  closeCase,
  commentOnCase,
  listCases,
  reopenCase,
  resolveCase,
} from '#loop/use-cases/case-actions.ts';
import { raiseAlerts } from '#loop/use-cases/raise-alerts.ts';
import {
  fixedClock,
  MemoryCaseStore,
  MemoryMailer,
  MemoryNotifier,
  MemoryRoutingStore,
  MemorySurveyStore,
} from '../../support/fakes.ts';

const survey = surveySchema.parse({
  ...demoSurvey,
  owners: [
    { segment: 'store:s-002', email: 'ana@example.com', locale: 'es' },
    { segment: '*', email: 'cx@example.com' },
  ],
});
const respond = (answers: Record<string, number | string>, attributes: Record<string, string> = {}) =>
  buildResponse({
    survey,
    submissionId: `sub-${JSON.stringify(answers).length}-${Object.keys(attributes).length}`,
    answers,
    attributes,
    capturedVia: 'web',
    now: new Date('2026-11-20T10:00:00Z'),
  });

const setup = () => {
  const cases = new MemoryCaseStore();
  const notifier = new MemoryNotifier();
  const mailer = new MemoryMailer();
  const deps = {
    surveys: new MemorySurveyStore([survey]),
    cases,
    routing: new MemoryRoutingStore(),
    notifier,
    mailer,
    clock: fixedClock(),
    renderEmail: () => ({ subject: 'Case', html: '<p>Case</p>', text: 'Case' }),
  };
  return { deps, cases, notifier, mailer };
};

describe('raiseAlerts', () => {
  it.each([
    { name: 'a detractor (6)', answers: { nps: 6, csat: 4, ces: 6 }, rules: ['nps-detractor'] },
    { name: 'CSAT 2', answers: { nps: 8, csat: 2, ces: 6 }, rules: ['csat-low'] },
    { name: 'high effort (3 of 7)', answers: { nps: 8, csat: 4, ces: 3 }, rules: ['ces-high-effort'] },
    {
      name: 'everything bad',
      answers: { nps: 0, csat: 1, ces: 1 },
      rules: ['nps-detractor', 'csat-low', 'ces-high-effort'],
    },
  ])('opens one case and tells the owner when $name', async ({ answers, rules }) => {
    const { deps, cases, notifier, mailer } = setup();
    expect(await raiseAlerts(deps, respond(answers))).toBe('notified');
    const [c] = [...cases.items.values()];
    expect(c?.hits.map((h) => h.ruleId)).toEqual(rules);
    expect(notifier.published).toHaveLength(1);
    expect(mailer.sent).toEqual([expect.objectContaining({ to: 'cx@example.com' })]);
  });

  it('stays quiet when no rule fires (7, 3, 4)', async () => {
    const { deps, cases, notifier } = setup();
    expect(await raiseAlerts(deps, respond({ nps: 7, csat: 3, ces: 4 }))).toBe('no-rule-fired');
    expect(cases.items.size).toBe(0);
    expect(notifier.published).toHaveLength(0);
  });

  it('routes to the owner of the store when one is named', async () => {
    const { deps, mailer, notifier } = setup();
    await raiseAlerts(deps, respond({ nps: 2, csat: 3, ces: 4 }, { store: 's-002' }));
    expect(mailer.sent[0]?.to).toBe('ana@example.com');
    expect(notifier.published[0]?.attributes['segment.store']).toBe('s-002');
  });

  it("opens no case for an answer given longer ago than the survey's alertWithinHours, however bad", async () => {
    const { deps, cases, notifier, mailer } = setup();
    const late = { ...respond({ nps: 0, csat: 1, ces: 1 }), receivedAt: '2026-11-01T00:00:00.000Z' };
    const now = deps.clock.now().getTime();
    expect(now - Date.parse(late.receivedAt)).toBeGreaterThan(survey.alertWithinHours * 3_600_000);
    expect(await raiseAlerts(deps, late)).toBe('too-late');
    expect(cases.items.size + notifier.published.length + mailer.sent.length).toBe(0);
    // Just within the hours, it does.
    const inTime = {
      ...late,
      receivedAt: new Date(now - (survey.alertWithinHours * 3_600_000 - 1000)).toISOString(),
    };
    expect(await raiseAlerts(deps, inTime)).toBe('notified');
  });

  it('adds the answers that come after the score to the case it opened, and tells nobody again', async () => {
    const { deps, cases, notifier } = setup();
    const first = { ...respond({ nps: 2, csat: 4, ces: 6 }), submissionId: 'twilio.CA1' };
    expect(await raiseAlerts(deps, first)).toBe('notified');
    const later = { ...first, answers: { ...first.answers, comment: 'Me colgaron dos veces' } };
    expect(await raiseAlerts(deps, later)).toBe('already-notified');
    expect([...cases.items.values()][0]?.answers).toEqual({
      nps: 2,
      csat: 4,
      ces: 6,
      comment: 'Me colgaron dos veces',
    });
    expect(notifier.published).toHaveLength(1);
  });

  it('notifies once when the same record is delivered twice', async () => {
    const { deps, cases, notifier, mailer } = setup();
    const r = respond({ nps: 1, csat: 3, ces: 4 });
    await raiseAlerts(deps, r);
    expect(await raiseAlerts(deps, r)).toBe('already-notified');
    expect(cases.items.size).toBe(1);
    expect(notifier.published).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
  });
});

describe('case actions', () => {
  const opened = async () => {
    const s = setup();
    const r = respond({ nps: 1, csat: 3, ces: 4 });
    await raiseAlerts(s.deps, r);
    return { ...s, caseId: caseIdOf('demo', r.submissionId) };
  };

  it('acknowledges an open case and records who did it', async () => {
    const { deps, caseId } = await opened();
    const c = await acknowledgeCase(deps, caseId, 'ana@example.com');
    expect(c).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ana@example.com' });
    expect(c.history.map((h) => h.action)).toEqual(['opened', 'acknowledged']);
  });

  it('refuses to acknowledge twice', async () => {
    const { deps, caseId } = await opened();
    await acknowledgeCase(deps, caseId, 'ana');
    await expect(acknowledgeCase(deps, caseId, 'ana')).rejects.toBeInstanceOf(InvalidStateError);
  });

  const resolution = {
    note: 'Called the customer; refunded.',
    rootCause: 'staffing',
    customerContacted: true,
  };

  it('resolves only with a resolution note and a root-cause category', async () => {
    const { deps, caseId } = await opened();
    await expect(resolveCase(deps, caseId, 'ana', { ...resolution, note: '  ' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      resolveCase(deps, caseId, 'ana', { ...resolution, rootCause: 'Not A Category' }),
    ).rejects.toBeInstanceOf(ValidationError);
    const c = await resolveCase(deps, caseId, 'ana', resolution);
    expect(c).toMatchObject({
      status: 'resolved',
      resolutionNote: 'Called the customer; refunded.',
      rootCause: 'staffing',
      customerContacted: true,
    });
  });

  it('goes open -> acknowledged -> resolved -> closed, with reopen, assignee and comments in the audit trail', async () => {
    const { deps, caseId } = await opened();
    await assignCase(deps, caseId, 'lead@example.com', 'ana@example.com');
    await acknowledgeCase(deps, caseId, 'ana@example.com');
    await commentOnCase(deps, caseId, 'ana@example.com', 'Left a voicemail');
    await resolveCase(deps, caseId, 'ana@example.com', resolution);
    await expect(reopenCase(deps, caseId, 'lead@example.com', '')).rejects.toBeInstanceOf(ValidationError);
    const reopened = await reopenCase(deps, caseId, 'lead@example.com', 'The customer wrote again');
    expect(reopened).toMatchObject({ status: 'open', due: 'acknowledge', assignee: 'ana@example.com' });
    await acknowledgeCase(deps, caseId, 'ana@example.com');
    await resolveCase(deps, caseId, 'ana@example.com', { ...resolution, rootCause: 'product-defect' });
    const closed = await closeCase(deps, caseId, 'lead@example.com');
    expect(closed.status).toBe('closed');
    expect(closed.history.map((h) => [h.action, h.by])).toEqual([
      ['opened', 'pulso'],
      ['assigned', 'lead@example.com'],
      ['acknowledged', 'ana@example.com'],
      ['commented', 'ana@example.com'],
      ['resolved', 'ana@example.com'],
      ['reopened', 'lead@example.com'],
      ['acknowledged', 'ana@example.com'],
      ['resolved', 'ana@example.com'],
      ['closed', 'lead@example.com'],
    ]);
    await expect(assignCase(deps, caseId, 'x', 'y')).rejects.toBeInstanceOf(InvalidStateError);
    await expect(closeCase(deps, caseId, 'x')).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('keeps both of two comments written at the same moment', async () => {
    const { deps, caseId } = await opened();
    await Promise.all([
      commentOnCase(deps, caseId, 'ana', 'first'),
      commentOnCase(deps, caseId, 'bob', 'second'),
    ]);
    const c = await deps.cases.get(caseId);
    expect(
      c?.history
        .filter((h) => h.action === 'commented')
        .map((h) => h.note)
        .sort(),
    ).toEqual(['first', 'second']);
  });

  it("lists the caller's cases for `mine` and the ones past their deadline for `overdue`", async () => {
    const { deps, caseId } = await opened();
    await assignCase(deps, caseId, 'ana', 'bruno');
    const ids = async (query: { mine?: boolean; overdue?: boolean }, who = 'bruno') =>
      (await listCases(deps, { limit: 25, ...query }, () => who)).items.map((c) => c.caseId);
    expect(await ids({ mine: true })).toEqual([caseId]);
    expect(await ids({ mine: true }, 'carla')).toEqual([]);
    expect(await ids({})).toEqual([caseId]);
    const due = (await deps.cases.get(caseId))?.dueAt ?? '';
    expect(await ids({ overdue: true })).toEqual([]);
    const late = { ...deps, clock: { now: () => new Date(Date.parse(due) + 1) } };
    expect((await listCases(late, { limit: 25, overdue: true }, () => 'x')).items).toHaveLength(1);
  });
});
