import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildResponse } from '#capture/rules/response.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { CASE_ALERT_ATTRIBUTES, caseAlertAttributes } from '#loop/rules/alert-attributes.ts';
import type { Case } from '#loop/rules/case.ts';
import { DEFAULT_SLA, escalationOf, slaOf } from '#loop/rules/escalation.ts';
import { type RoutingTable, routingTableSchema, tiersFor } from '#loop/rules/routing.ts';
import { acknowledgeCase, resolveCase } from '#loop/use-cases/case-actions.ts';
import { escalateDueCases } from '#loop/use-cases/escalate-cases.ts';
import { raiseAlerts } from '#loop/use-cases/raise-alerts.ts';
import { MemoryQueue } from '../../support/campaign-fakes.ts';
import {
  MemoryCaseStore,
  MemoryMailer,
  MemoryNotifier,
  MemoryRoutingStore,
  MemorySurveyStore,
} from '../../support/fakes.ts';

const T0 = new Date('2026-11-20T10:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const survey = surveySchema.parse({
  ...demoSurvey,
  alertRules: [
    { id: 'detractor', questionId: 'nps', op: 'lte', value: 6, severity: 'high', ackSlaHours: 4 },
    { id: 'csat-low', questionId: 'csat', op: 'lte', value: 2 },
  ],
});
const routing: RoutingTable = routingTableSchema.parse({
  routes: [
    {
      segment: 'store:s-001',
      tiers: [
        { role: 'Store manager', email: 'store001@example.com' },
        { role: 'Area manager', email: 'area-south@example.com', phone: '+5511900000001' },
        { role: 'Regional director', email: 'director@example.com', locale: 'pt' },
      ],
    },
    { segment: '*', tiers: [{ role: 'CX team', email: 'cx@example.com' }] },
  ],
});

function setup() {
  let now = T0;
  const cases = new MemoryCaseStore();
  const notifier = new MemoryNotifier();
  const mailer = new MemoryMailer();
  const deps = {
    surveys: new MemorySurveyStore([survey]),
    cases,
    routing: new MemoryRoutingStore(routing),
    notifier,
    mailer,
    queue: new MemoryQueue(),
    renderNotRecovered: () => ({ subject: 'Not recovered', html: '<p>n</p>', text: 'n' }),
    clock: { now: () => now },
    renderEmail: () => ({ subject: 'New case', html: '<p>Case</p>', text: 'Case' }),
    renderEscalation: (_c: unknown, _s: unknown, tier: { role: string }) => ({
      subject: `Escalated to ${tier.role}`,
      html: '<p>Escalated</p>',
      text: 'Escalated',
    }),
  };
  const bad = async (store: string, answers = { nps: 2, csat: 4, ces: 5 }) => {
    const response = buildResponse({
      survey,
      submissionId: `sub-${store}-${answers.nps}-${answers.csat}`,
      answers,
      attributes: { store },
      capturedVia: 'web',
      now,
    });
    await raiseAlerts(deps, response);
    return [...cases.items.values()].find((c) => c.submissionId === response.submissionId);
  };
  const sweep = (hours: number) => {
    now = at(hours);
    return escalateDueCases(deps, now);
  };
  const mailsTo = (to: string) => mailer.sent.filter((m) => m.to === to).map((m) => m.subject);
  return { deps, cases, notifier, mailer, bad, sweep, mailsTo, setNow: (h: number) => (now = at(h)) };
}

describe('routing', () => {
  it('takes the tiers of the first matching route, else the * route', () => {
    expect(tiersFor(routing, { store: 's-001' }).map((t) => t.role)).toEqual([
      'Store manager',
      'Area manager',
      'Regional director',
    ]);
    expect(tiersFor(routing, { store: 's-999' }).map((t) => t.role)).toEqual(['CX team']);
    expect(tiersFor({ routes: [] }, { store: 's-001' })).toEqual([]);
  });

  it.each([
    { routes: [{ segment: 'store', tiers: [{ role: 'x', email: 'x@example.com' }] }] },
    { routes: [{ segment: '*', tiers: [] }] },
    { routes: [{ segment: '*', tiers: [{ role: 'x', email: 'not an email' }] }] },
    { routes: [{ segment: '*', tiers: [{ role: 'x', email: 'x@example.com', phone: '555-1234' }] }] },
    {
      routes: [
        { segment: '*', tiers: Array.from({ length: 6 }, () => ({ role: 'x', email: 'x@example.com' })) },
      ],
    },
  ])('refuses a routing table that cannot route: %o', (bad) => {
    expect(routingTableSchema.safeParse(bad).success).toBe(false);
  });
});

describe('SLAs', () => {
  it('takes the strictest SLA of the rules a case broke, 24 h and 48 h by default', () => {
    expect(slaOf([])).toEqual(DEFAULT_SLA);
    expect(slaOf([{ ackSlaHours: 4 }, { resolveSlaHours: 12 }])).toEqual({ ackHours: 4, resolveHours: 12 });
    expect(DEFAULT_SLA).toEqual({ ackHours: 24, resolveHours: 48 });
  });

  it('is not due before the deadline, escalates after it, and stops at the top tier', () => {
    const state = {
      status: 'open' as const,
      sla: DEFAULT_SLA,
      tier: 0,
      dueAt: at(24).toISOString(),
      due: 'acknowledge' as const,
    };
    expect(escalationOf(state, 3, at(23.9)).kind).toBe('not-due');
    expect(escalationOf(state, 3, at(24))).toEqual({
      kind: 'escalate',
      tier: 1,
      dueAt: at(48).toISOString(),
      due: 'acknowledge',
    });
    expect(escalationOf({ ...state, tier: 2 }, 3, at(30))).toEqual({ kind: 'top', due: 'acknowledge' });
    expect(escalationOf({ ...state, status: 'resolved' }, 3, at(30)).kind).toBe('not-due');
  });
});

describe('the escalation sweep', () => {
  it('routes a detractor to the store manager, then escalates up the tiers until someone acknowledges', async () => {
    const { cases, bad, sweep, mailsTo, notifier, deps, setNow } = setup();
    const opened = await bad('s-001');
    expect(opened).toMatchObject({
      tier: 0,
      due: 'acknowledge',
      dueAt: at(4).toISOString(),
      sla: { ackHours: 4 },
    });
    expect(mailsTo('store001@example.com')).toEqual(['New case']);

    // Before the 4-hour acknowledgement SLA: nothing happens.
    expect(await sweep(3.9)).toEqual({
      escalated: 0,
      notified: 0,
      breached: 0,
      followUpsQueued: 0,
      notRecoveredTold: 0,
    });
    // After it: the area manager hears of it, by email and SNS (with the tier to filter on).
    expect(await sweep(4.05)).toEqual({
      escalated: 1,
      notified: 1,
      breached: 0,
      followUpsQueued: 0,
      notRecoveredTold: 0,
    });
    expect(mailsTo('area-south@example.com')).toEqual(['Escalated to Area manager']);
    expect(notifier.published.at(-1)?.attributes).toMatchObject({
      event: 'escalated',
      tier: '1',
      role: 'Area manager',
      ownerEmail: 'area-south@example.com',
      ownerPhone: '+5511900000001',
    });
    // A second sweep at the same moment does nothing more.
    expect(await sweep(4.05)).toEqual({
      escalated: 0,
      notified: 0,
      breached: 0,
      followUpsQueued: 0,
      notRecoveredTold: 0,
    });
    // The area manager has a full 4 hours too; then the director.
    expect((await sweep(8)).escalated).toBe(0);
    expect((await sweep(8.1)).escalated).toBe(1);
    expect(mailsTo('director@example.com')).toEqual(['Escalated to Regional director']);

    // The director acknowledges: escalation stops; the resolution deadline (48 h from the opening) applies.
    setNow(9);
    const acknowledged = await acknowledgeCase(deps, opened?.caseId ?? '', 'director@example.com');
    expect(acknowledged).toMatchObject({
      status: 'acknowledged',
      due: 'resolve',
      dueAt: at(48).toISOString(),
    });
    expect(await sweep(47)).toEqual({
      escalated: 0,
      notified: 0,
      breached: 0,
      followUpsQueued: 0,
      notRecoveredTold: 0,
    });
    // Past it at the top tier: recorded as a breach, nobody left to tell, and it leaves the due index.
    expect(await sweep(48.1)).toEqual({
      escalated: 0,
      notified: 0,
      breached: 1,
      followUpsQueued: 0,
      notRecoveredTold: 0,
    });
    expect(await sweep(60)).toEqual({
      escalated: 0,
      notified: 0,
      breached: 0,
      followUpsQueued: 0,
      notRecoveredTold: 0,
    });
    setNow(61);
    const resolved = await resolveCase(deps, opened?.caseId ?? '', 'director@example.com', {
      note: 'Called the customer',
      rootCause: 'staffing',
      customerContacted: true,
    });
    expect(resolved.dueAt).toBeUndefined();
    const history = (await cases.get(opened?.caseId ?? ''))?.history.map((e) => e.action);
    expect(history).toEqual(['opened', 'escalated', 'escalated', 'acknowledged', 'sla-breached', 'resolved']);
  });

  it('stops the moment the case is acknowledged', async () => {
    const { bad, sweep, mailsTo, deps, setNow } = setup();
    const opened = await bad('s-001');
    setNow(3);
    await acknowledgeCase(deps, opened?.caseId ?? '', 'store001@example.com');
    expect(await sweep(5)).toEqual({
      escalated: 0,
      notified: 0,
      breached: 0,
      followUpsQueued: 0,
      notRecoveredTold: 0,
    });
    expect(mailsTo('area-south@example.com')).toEqual([]);
  });

  it('escalates an acknowledged case that is not resolved within its resolution SLA', async () => {
    const { bad, sweep, mailsTo, deps, setNow } = setup();
    // CSAT 2 only: 24 h to acknowledge, 48 h to resolve.
    const opened = await bad('s-001', { nps: 8, csat: 2, ces: 5 });
    setNow(1);
    await acknowledgeCase(deps, opened?.caseId ?? '', 'store001@example.com');
    expect((await sweep(30)).escalated).toBe(0);
    expect(await sweep(48.5)).toMatchObject({ escalated: 1 });
    expect(mailsTo('area-south@example.com')).toEqual(['Escalated to Area manager']);
  });

  it('tells a tier that a crashed sweep escalated to but did not tell', async () => {
    const { bad, sweep, mailsTo, deps } = setup();
    await bad('s-001');
    // The mail server fails right after the escalation was written.
    const send = deps.mailer.send.bind(deps.mailer);
    deps.mailer.send = async () => {
      throw new Error('SES down');
    };
    await expect(sweep(4.5)).rejects.toThrow('SES down');
    deps.mailer.send = send;
    expect(await sweep(4.6)).toEqual({
      escalated: 0,
      notified: 1,
      breached: 0,
      followUpsQueued: 0,
      notRecoveredTold: 0,
    });
    expect(mailsTo('area-south@example.com')).toEqual(['Escalated to Area manager']);
    expect(await sweep(4.7)).toEqual({
      escalated: 0,
      notified: 0,
      breached: 0,
      followUpsQueued: 0,
      notRecoveredTold: 0,
    });
  });

  it('gives a case with one tier a breach, not an escalation', async () => {
    const { bad, sweep, mailsTo } = setup();
    await bad('s-999');
    expect(await sweep(5)).toEqual({
      escalated: 0,
      notified: 0,
      breached: 1,
      followUpsQueued: 0,
      notRecoveredTold: 0,
    });
    expect(mailsTo('cx@example.com')).toEqual(['New case']);
  });
});

describe('case alert attributes', () => {
  const phoneRouting: RoutingTable = routingTableSchema.parse({
    routes: [
      {
        segment: 'store:s-009',
        tiers: [
          { role: 'Store manager', email: 'store009@example.com', phone: '+5511900000009' },
          { role: 'Area manager', email: 'area@example.com', phone: '+5511900000010' },
        ],
      },
    ],
  });

  it('gives the first alert and every escalation each documented owner attribute when the tier has a phone', async () => {
    const { deps, notifier, bad, sweep } = setup();
    deps.routing = new MemoryRoutingStore(phoneRouting);
    await bad('s-009');
    await sweep(4.05);
    const [first, escalation] = notifier.published;
    const documented = readFileSync(new URL('../../../docs/closing-the-loop.md', import.meta.url), 'utf8');
    for (const name of CASE_ALERT_ATTRIBUTES) expect(documented).toContain(`\`${name}\``);
    expect(Object.keys(first?.attributes ?? {})).toEqual(expect.arrayContaining([...CASE_ALERT_ATTRIBUTES]));
    expect(Object.keys(escalation?.attributes ?? {})).toEqual(
      expect.arrayContaining([...CASE_ALERT_ATTRIBUTES]),
    );
    expect(first?.attributes).toMatchObject({
      event: 'opened',
      tier: '0',
      role: 'Store manager',
      ownerEmail: 'store009@example.com',
      ownerPhone: '+5511900000009',
      'segment.store': 's-009',
    });
    expect(escalation?.attributes).toMatchObject({
      event: 'escalated',
      tier: '1',
      role: 'Area manager',
      ownerPhone: '+5511900000010',
      'segment.store': 's-009',
    });
  });

  it('puts the owner attributes first, within the 10 that SNS keeps, when a case has many segments', () => {
    const attributes = caseAlertAttributes(
      {
        caseId: 'c1',
        surveyId: 'demo',
        severity: 'high',
        tier: 0,
        tiers: [{ role: 'Store manager', email: 'a@example.com', phone: '+5511900000001' }],
        segment: { region: 'north', city: 'x', store: 's-1', section: 'bar', channel: 'web' },
        hits: [{ ruleId: 'detractor', questionId: 'nps', answer: 2, severity: 'high' }],
      } as unknown as Case,
      'opened',
    );
    expect(Object.keys(attributes).slice(0, 10)).toEqual([
      ...CASE_ALERT_ATTRIBUTES,
      'segment.region',
      'segment.city',
    ]);
  });
});
