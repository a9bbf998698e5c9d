import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import { passesFilterPolicy } from '#local/sns-deliveries.ts';
import { caseIdOf } from '#loop/rules/cases.ts';
import { type client, startTestRuntime } from '../support/http.ts';
import { mailsTo as mailsToOf } from '../support/pages.ts';
import { localCredentials } from './local/support.ts';

/**
 * Cases that nobody acts on, on the local runtime with the real handlers: the routing table sends a detractor to
 * the store manager; the escalation schedule, run as of chosen moments (never by sleeping), moves it up the tiers
 * by SES and SNS until someone acknowledges.
 */
let rt: Runtime;
let api: ReturnType<typeof client>;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const store = `s-esc-${run}`;
const tiers = [
  { role: 'Store manager', email: `store.${run}@example.com` },
  { role: 'Area manager', email: `area.${run}@example.com`, locale: 'es' },
  { role: 'Regional director', email: `director.${run}@example.com` },
];
const hours = (h: number) => new Date(Date.now() + h * 3_600_000);
// A store whose manager gets a storm of bad answers (see the digest test).
const stormStore = `s-storm-${run}`;
const stormOwner = `storm.${run}@example.com`;
// A store whose manager subscribed to alerts by SMS, through a filter policy on their phone.
const phoneStore = `s-phone-${run}`;
const managerPhone = `+55119${String(Date.now()).slice(-8)}`;

const mailsTo = (address: string) => mailsToOf(rt.mailboxUrl, address);
const sweep = async (at: Date) => {
  await rt.runSchedule('EscalationSchedule', { time: at });
  await rt.idle();
};

beforeAll(async () => {
  ({ rt, api, stop: stopRuntime } = await startTestRuntime());
}, 120_000);
afterAll(async () => {
  await stopRuntime?.();
});

describe('SLA escalation', () => {
  let caseId: string;

  it('keeps the routing table through the admin API and refuses a bad one', async () => {
    const before = await api.admin('GET', 'v1/routing');
    // Containers keep the routing table for 30 seconds: it is set up before any answer here.
    const routes = [
      { segment: `store:${store}`, tiers },
      { segment: `store:${stormStore}`, tiers: [{ role: 'Store manager', email: stormOwner }] },
      {
        segment: `store:${phoneStore}`,
        tiers: [{ role: 'Store manager', email: `phone.${run}@example.com`, phone: managerPhone }],
      },
      ...(before.json.routes ?? []),
    ];
    expect((await api.admin('PUT', 'v1/routing', { routes })).status).toBe(200);
    expect((await api.admin('GET', 'v1/routing')).json.routes[0]).toEqual({
      segment: `store:${store}`,
      tiers,
    });
    const bad = await api.admin('PUT', 'v1/routing', { routes: [{ segment: 'store', tiers: [] }] });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it('sends a detractor to the first tier of its route', async () => {
    const res = await api.respond({
      surveyId: 'demo',
      submissionId: `esc-${run}`,
      answers: { nps: 1, csat: 4, ces: 5, comment: 'Nobody helped me' },
      attributes: { store },
    });
    expect(res.status).toBe(201);
    await rt.idle();
    expect(await mailsTo(tiers[0]?.email ?? '')).toHaveLength(1);
    const cases = await api.admin('GET', 'v1/cases?surveyId=demo&status=open&limit=100');
    const opened = cases.json.items.find((c: { submissionId: string }) => c.submissionId === `esc-${run}`);
    expect(opened).toMatchObject({ tier: 0, due: 'acknowledge', sla: { ackHours: 24, resolveHours: 48 } });
    caseId = opened.caseId;
  });

  it('delivers the first alert of a case to an SMS subscription filtering on the owner phone', async () => {
    const sns = new SNSClient({ endpoint: rt.snsUrl, region: rt.region, credentials: localCredentials });
    const topicArn = rt.topicArns.AlertsTopic ?? '';
    const subscribe = async (phone: string) => {
      const attributes = { FilterPolicy: JSON.stringify({ ownerPhone: [phone] }) };
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sms',
          Endpoint: phone,
          Attributes: attributes,
          ReturnSubscriptionArn: true,
        }),
      );
      expect(SubscriptionArn).toContain(topicArn);
      return { attributes };
    };
    const manager = await subscribe(managerPhone);
    const someoneElse = await subscribe('+5511900000000');

    const res = await api.respond({
      surveyId: 'demo',
      submissionId: `phone-${run}`,
      answers: { nps: 0, csat: 3, ces: 4 },
      attributes: { store: phoneStore },
    });
    expect(res.status).toBe(201);
    await rt.idle();

    // The local SNS delivers to Lambda subscriptions only; its SNS filter-policy matcher says what an SMS one gets.
    const published = rt.snsMessages().filter((m) => m.topicArn === topicArn);
    const toManager = published.filter((m) => passesFilterPolicy(manager, m));
    expect(toManager).toHaveLength(1);
    expect(toManager[0]?.messageAttributes).toMatchObject({
      event: { StringValue: 'opened' },
      tier: { StringValue: '0' },
      role: { StringValue: 'Store manager' },
      ownerPhone: { StringValue: managerPhone },
    });
    expect(published.filter((m) => passesFilterPolicy(someoneElse, m))).toHaveLength(0);
  });

  it('escalates to the area manager, in their language, once the acknowledgement SLA passes', async () => {
    await sweep(hours(23));
    expect(await mailsTo(tiers[1]?.email ?? '')).toHaveLength(0);
    await sweep(hours(24.1));
    const [mail] = await mailsTo(tiers[1]?.email ?? '');
    expect(mail?.subject).toMatch(/^Escalado a usted/);
    expect(mail?.body.text).toContain('Nobody helped me');
    const sns = rt.snsMessages().filter((m) => m.messageAttributes.caseId?.StringValue === caseId);
    expect(sns.at(-1)?.messageAttributes).toMatchObject({
      event: { DataType: 'String', StringValue: 'escalated' },
      role: { DataType: 'String', StringValue: 'Area manager' },
    });
    // The same moment again changes nothing.
    await sweep(hours(24.1));
    expect(await mailsTo(tiers[1]?.email ?? '')).toHaveLength(1);
  });

  it('stops escalating once acknowledged, and closes the loop: resolved with a note, then closed', async () => {
    expect((await api.admin('POST', `v1/cases/${caseId}/acknowledge`)).status).toBe(200);
    await sweep(hours(47));
    expect(await mailsTo(tiers[2]?.email ?? '')).toHaveLength(0);
    const resolved = await api.admin('POST', `v1/cases/${caseId}/resolve`, {
      note: 'Called the customer back',
      rootCause: 'staffing',
      customerContacted: true,
    });
    expect(resolved.status).toBe(200);
    await sweep(hours(100));
    expect(await mailsTo(tiers[2]?.email ?? '')).toHaveLength(0);
    expect((await api.admin('POST', `v1/cases/${caseId}/close`)).status).toBe(200);
    const stored = await api.admin('GET', `v1/cases/${caseId}`);
    expect(stored.json.history.map((e: { action: string }) => e.action)).toEqual([
      'opened',
      'escalated',
      'acknowledged',
      'resolved',
      'closed',
    ]);
    expect(stored.json.dueAt).toBeUndefined();
  });

  it('reports how well the loop is closed, per store and per owner', async () => {
    const byStore = await api.admin('GET', 'v1/loop/metrics?window=7d&by=store&surveyId=demo');
    expect(byStore.status).toBe(200);
    const mine = byStore.json.groups.find((g: { value: string }) => g.value === store);
    expect(mine.figures).toMatchObject({
      cases: 1,
      open: 0,
      overdue: 0,
      acknowledgedWithinSla: { n: 1, pct: 100 },
    });
    const byOwner = await api.admin('GET', 'v1/loop/metrics?by=owner');
    // The case ended with the area manager, who it was escalated to.
    expect(byOwner.json.groups.map((g: { value: string }) => g.value)).toContain(tiers[1]?.email);
    expect((await api.admin('GET', 'v1/loop/metrics?window=1y')).status).toBe(400);
  });
});

describe('the one-click acknowledge link in alert emails', () => {
  it('asks first, acknowledges in the name of the person it was sent to, and refuses a tampered link', async () => {
    const submissionId = `esc-link-${run}`;
    await api.respond({
      surveyId: 'demo',
      submissionId,
      answers: { nps: 2, csat: 4, ces: 5 },
      attributes: { store },
    });
    await rt.idle();
    const expectedCase = caseIdOf('demo', submissionId);
    const mail = (await mailsTo(tiers[0]?.email ?? '')).find((m) => m.body.text?.includes(expectedCase));
    const link = new URL(
      /https?:\/\/\S+\/c\/[^/\s]+\/acknowledge\?t=\S+/.exec(mail?.body.text ?? '')?.[0] ?? '',
    );
    const path = `${link.pathname.slice(1)}${link.search}`;
    const caseId = decodeURIComponent(link.pathname.split('/')[2] ?? '');
    expect(caseId).toBe(expectedCase);

    const asked = await api.call('GET', path);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('<form method="post"');
    expect((await api.admin('GET', `v1/cases/${caseId}`)).json.status).toBe('open');

    const done = await api.call('POST', path);
    expect(done.status).toBe(200);
    const acknowledged = await api.admin('GET', `v1/cases/${caseId}`);
    expect(acknowledged.json).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: `${tiers[0]?.email} (email link)`,
    });
    // The same link again: a friendly page, nothing changes.
    expect((await api.call('POST', path)).status).toBe(200);

    const t = link.searchParams.get('t') ?? '';
    const tampered = `${t.slice(0, 4)}${t[4] === 'A' ? 'B' : 'A'}${t.slice(5)}`;
    expect((await api.call('GET', `${link.pathname.slice(1)}?t=${tampered}`)).status).toBe(403);
    const elsewhere = await api.call('POST', `c/another-case/acknowledge${link.search}`);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('content-type')).toContain('text/html');
  });
});

describe('action plans', () => {
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const plan = (startDate: string) => ({
    title: `Faster help at ${store}`,
    surveyId: 'demo',
    segment: `store:${store}`,
    theme: 'staffing',
    owner: tiers[0]?.email,
    startDate,
    dueDate: '2099-12-31',
    tasks: [{ title: 'A second person at the desk at noon' }],
  });

  it('measures the store figure before a plan that starts tomorrow, and since one that started today', async () => {
    const upcoming = await api.admin('POST', 'v1/plans', plan(tomorrow));
    expect(upcoming.status).toBe(201);
    const read = await api.admin('GET', `v1/plans/${upcoming.json.planId}`);
    // Today's detractors (the cases above) are before tomorrow's start.
    expect(read.json.impact).toMatchObject({
      questionId: 'nps',
      before: { n: 2, score: -100 },
      after: { n: 0 },
    });
    expect(read.json.impact.change).toBeNull();

    const started = await api.admin('POST', 'v1/plans', plan(today));
    const since = await api.admin('GET', `v1/plans/${started.json.planId}?days=7`);
    expect(since.json.impact).toMatchObject({ before: { n: 0 }, after: { n: 2, from: today, to: today } });

    const updated = await api.admin('PUT', `v1/plans/${started.json.planId}`, {
      ...plan(today),
      tasks: [{ title: 'A second person at the desk at noon', status: 'done' }],
    });
    expect(updated.status).toBe(200);
    expect((await api.admin('GET', `v1/plans/${started.json.planId}`)).json.impact.progress).toEqual({
      done: 1,
      tasks: 1,
    });
    expect((await api.admin('GET', 'v1/plans')).json.items.length).toBeGreaterThanOrEqual(2);
    const bad = await api.admin('POST', 'v1/plans', { ...plan(today), dueDate: '2000-01-01' });
    expect(bad.status).toBe(400);
    expect((await api.admin('GET', 'v1/plans/no-such-plan')).status).toBe(404);
  });
});

describe('threshold alerts on rolling figures', () => {
  const surveyId = `th-${run}`;
  const thresholdMessages = () =>
    rt
      .snsMessages()
      .filter(
        (m) =>
          m.messageAttributes.event?.StringValue === 'threshold' &&
          m.messageAttributes.surveyId?.StringValue === surveyId,
      );
  let sent = 0;
  const detractors = async (count: number) => {
    for (let i = 0; i < count; i++, sent++)
      await api.respond({
        surveyId,
        submissionId: `th-${run}-${sent}`,
        answers: { nps: 2, csat: 4, ces: 5 },
        attributes: { store },
      });
    await rt.idle();
  };

  it('does not fire on 5 bad answers, fires once on a significant sample, and stays quiet while it lasts', async () => {
    const put = await api.admin('PUT', `v1/surveys/${surveyId}`, {
      ...(await api.admin('GET', 'v1/surveys/demo')).json,
      id: surveyId,
      thresholds: [{ id: 'store-nps', questionId: 'nps', segmentKey: 'store', below: 30, minResponses: 20 }],
    });
    expect(put.status, put.text).toBe(200);
    await detractors(5);
    expect(thresholdMessages()).toHaveLength(0);
    await detractors(20);
    expect(thresholdMessages()).toHaveLength(1);
    expect(thresholdMessages()[0]?.messageAttributes).toMatchObject({
      condition: { DataType: 'String', StringValue: 'below' },
      'segment.store': { DataType: 'String', StringValue: store },
      ownerEmail: { DataType: 'String', StringValue: tiers[0]?.email },
    });
    // The store's owner (the first tier of its route) gets it by email too, once.
    const thresholdMails = async () =>
      (await mailsTo(tiers[0]?.email ?? '')).filter((m) => m.subject.startsWith('NPS below target'));
    expect((await thresholdMails()).map((m) => m.subject)).toEqual([`NPS below target: store ${store}`]);
    expect((await thresholdMails())[0]?.body.text).toMatch(
      /^Figure: NPS \(nps\): -100 \(95% interval -100 to -\d+(\.\d)?\)\nAnswers: 2\d\nTarget: 30$/m,
    );
    await detractors(5);
    expect(thresholdMessages()).toHaveLength(1);
    expect(await thresholdMails()).toHaveLength(1);
  });
});

describe('a digest instead of a storm', () => {
  it('emails an owner 10 cases in an hour, and the rest in one digest once the hour is over', async () => {
    const stormStore = `s-storm-${run}`;
    const owner = `storm.${run}@example.com`;
    const routes = (await api.admin('GET', 'v1/routing')).json.routes;
    await api.admin('PUT', 'v1/routing', {
      routes: [
        { segment: `store:${stormStore}`, tiers: [{ role: 'Store manager', email: owner }] },
        ...routes,
      ],
    });
    for (let i = 0; i < 14; i++)
      await api.respond({
        surveyId: 'demo',
        submissionId: `storm-${run}-${i}`,
        answers: { nps: 0, csat: 1, ces: 1 },
        attributes: { store: stormStore },
      });
    await rt.idle();
    expect(await mailsTo(owner)).toHaveLength(10);
    const nextHour = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 60_000);
    await sweep(nextHour);
    const mails = await mailsTo(owner);
    expect(mails).toHaveLength(11);
    expect(mails.at(-1)?.subject).toMatch(/^4 more cases for you/);
    await sweep(new Date(nextHour.getTime() + 300_000));
    expect(await mailsTo(owner)).toHaveLength(11);
  });
});
