import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { DAY_MS, dayOf } from '#kernel/days.ts';
import type { Runtime } from '#local/runtime.ts';
import { CHART_HEIGHT, CHART_WIDTH } from '#views/report-chart.ts';
import { type client, startTestRuntime } from '../support/http.ts';
import { mailsTo } from '../support/pages.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const surveyId = `report-${run}`;
const rita = `rita-${run}@example.com`;
const cx = `cx-${run}@example.com`;
const quiet = `quiet-${run}@example.com`;
const XSS_PLACE = '<b>r2</b>';
const XSS_NAME = 'Rita <i>R</i>';

/** Midnight (UTC) of today, and days from it at an hour. */
const today = Date.parse(`${dayOf(new Date())}T00:00:00Z`);
const dayAt = (days: number, hour: number) => new Date(today + days * DAY_MS + hour * 3_600_000);
/** Days from today to the next Monday after it: that Monday's weekly report covers the week holding today. */
const nextMonday = (8 - new Date(today).getUTCDay()) % 7 || 7;
/** Days from today of the twelve promoters, the week before. */
const promoterDays = Array.from({ length: 12 }, (_, i) => -1 - (i % 7));

/** The reports sent to an address (its case alerts aside). */
const reportsTo = async (address: string) =>
  (await mailsTo(rt.mailboxUrl, address)).filter((m) => /^(Tu informe|Your \w+ report)/.test(m.subject));

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
  const demo = (await api.admin('GET', 'v1/surveys/demo')).json;
  const put = await api.admin('PUT', `v1/surveys/${surveyId}`, {
    ...demo,
    id: surveyId,
    segmentKeys: ['region', 'store'],
    hierarchy: ['region', 'store'],
    targets: { nps: 40 },
  });
  expect(put.status, put.text).toBe(200);
  const routing = await api.admin('PUT', 'v1/routing', {
    routes: [
      {
        segment: 'store:r1',
        tiers: [
          { role: 'Store manager', name: XSS_NAME, email: rita, locale: 'es', reports: 'daily' },
          { role: 'Area manager', email: quiet },
        ],
      },
      { segment: `store:${XSS_PLACE}`, tiers: [{ role: 'Store manager', email: rita, reports: 'daily' }] },
      { segment: '*', tiers: [{ role: 'CX team', email: cx, reports: 'weekly' }] },
    ],
  });
  expect(routing.status, routing.text).toBe(200);
  // The week before today, store r1 had twelve promoters; today twelve detractors (who open cases), as capture
  // writes them. Store <b>r2</b> had three passives today.
  const store = new DynamoResponseStore(ddb, rt.tableName);
  const answer = (i: number, at: Date, nps: number, place: string) =>
    store.putIfAbsent(
      {
        surveyId,
        submissionId: `${run}-${i}`,
        answers: { nps, csat: nps > 6 ? 5 : 1, ces: nps > 6 ? 7 : 2 },
        attributes: { region: 'north', store: place },
        locale: 'es',
        capturedVia: 'api',
        receivedAt: at.toISOString(),
        contentHash: `h-${run}-${i}`,
      },
      400,
    );
  for (const [i, day] of promoterDays.entries()) await answer(i, dayAt(day, 12), 10, 'r1');
  for (let i = 12; i < 24; i++)
    await answer(i, new Date(Math.min(Date.now(), dayAt(0, 1).getTime() + i)), 2, 'r1');
  for (let i = 24; i < 27; i++) await answer(i, new Date(Date.now() - 1000), 8, XSS_PLACE);
  await rt.idle();
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe('scheduled reports', () => {
  it("sends an owner's daily report once, from its hour on, with each place's figures, chart and cases", async () => {
    // Before the report hour (9 UTC), nothing goes.
    await rt.runSchedule('ReportSchedule', { time: dayAt(1, 8) });
    await rt.idle();
    expect(await reportsTo(rita)).toHaveLength(0);

    await rt.runSchedule('ReportSchedule', { time: dayAt(1, 10) });
    await rt.idle();
    const mails = await reportsTo(rita);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    if (!mail) throw new Error('no report');
    // In Rita's language, for today (the day before the run).
    expect(mail.subject).toMatch(/^Tu informe diario: /);
    const html = mail.body.html ?? '';
    const text = mail.body.text ?? '';
    // Both of her places, in one email; what the routing table and the survey say is inert.
    expect(html).toContain('store:r1');
    expect(html).toContain('store:&lt;b&gt;r2&lt;/b&gt;');
    expect(html).not.toContain(XSS_PLACE);
    expect(html).toContain('Rita &lt;i&gt;R&lt;/i&gt;');
    expect(html).not.toContain(XSS_NAME);
    // r1: NPS -100 from 12 answers, against 100 the 7 days before: clearly worse; its 12 cases are open.
    expect(text).toMatch(
      /NPS: -100 \(intervalo del 95 %: [^)]+\); Respuestas: 12; Antes: 100 \(n = 12\); Cambio: -200 \(claramente peor\)/,
    );
    expect(text).toMatch(/12 casos abiertos, \d+ vencidos/);
    const opened = await api.admin('GET', `v1/cases?surveyId=${surveyId}&limit=50`);
    const caseIds = (opened.json.items as { caseId: string }[]).map((c) => c.caseId);
    expect(caseIds).toHaveLength(12);
    const linked = [...html.matchAll(/href="([^"]+\/app\/cases\/([^"]+))"/g)].map((m) => m[2]);
    expect(linked).toHaveLength(5);
    for (const id of linked) expect(caseIds).toContain(id);
    expect(html).toContain(`${rt.appUrl}?survey=${surveyId}&amp;segment=store%3Ar1`);
    // Each trend is a PNG part shown inline: the HTML names it by its Content-ID (which the mailbox's parser
    // turns into the part's data URL, so the src below proves the HTML and the part match).
    const images = (mail.attachments ?? []).filter((a) => a.contentType === 'image/png');
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect(image.cid).toMatch(/^trend-\d@pulso$/);
      expect(html).toContain(`src="data:image/png;base64,${image.content}"`);
      const png = PNG.sync.read(Buffer.from(image.content, 'base64'));
      expect([png.width, png.height]).toEqual([CHART_WIDTH * 2, CHART_HEIGHT * 2]);
    }
    expect(html).toMatch(/alt="NPS día a día del [^"]+: [^"]*-100/);
    expect(html).toContain('; meta 40 (línea naranja).');

    // A later run the same day sends nothing more; the tier without a report gets none.
    await rt.runSchedule('ReportSchedule', { time: dayAt(1, 11) });
    await rt.idle();
    expect(await reportsTo(rita)).toHaveLength(1);
    expect(await reportsTo(quiet)).toHaveLength(0);
    expect(await reportsTo(cx)).toHaveLength(nextMonday === 1 ? 1 : 0);
  });

  it('sends the weekly report on Monday, for every place of the survey', async () => {
    const before = (await reportsTo(cx)).length;
    await rt.runSchedule('ReportSchedule', { time: dayAt(nextMonday, 9) });
    await rt.idle();
    const mails = await reportsTo(cx);
    expect(mails.length).toBe(before === 0 ? 1 : before);
    const weekly = mails.at(-1);
    expect(weekly?.subject).toMatch(/^Your weekly report: /);
    // The whole survey: today's 15 answers and the promoters of this week so far, against the week before.
    const thisWeek = 15 + promoterDays.filter((d) => d >= nextMonday - 7).length;
    expect(weekly?.body.text).toContain(`; Answers: ${thisWeek}; `);
    expect(weekly?.body.text).toContain('12 open cases');
    expect(weekly?.body.html).toContain('every place');
  });
});
