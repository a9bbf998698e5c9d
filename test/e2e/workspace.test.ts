import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '#local/runtime.ts';
import { send, zendeskRequest } from '#local/vendors.ts';
import { caseIdOf } from '#loop/rules/cases.ts';
import { holds } from '#routes/roles.ts';
import { buildWeb } from '../../web/build.ts';
import { client } from '../support/http.ts';
import { axeViolations, launchChromium } from './support.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let browser: Browser;
let campaignId: string;

const XSS = '<img src=x onerror="window.__xss=1"> the queue was <b>awful</b>';
const XSS_STORE = '<script>window.__xss=2</script>';
/** How wide the page is laid out: never wider than the phone's screen. */
const pageWidth = (page: Page) =>
  page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
        .documentElement.scrollWidth,
  );
/** Set by the payloads above if the app ever ran them. */
const ranPayload = (page: Page) => page.evaluate(() => (globalThis as { __xss?: number }).__xss ?? 0);

beforeAll(async () => {
  await buildWeb();
  rt = await startRuntime({ quiet: true, schedules: 'manual' });
  api = client(rt.apiUrl, rt.adminToken);
  // A few answers so the overview has figures: two promoters, a passive, a detractor (and three more below).
  for (const [i, nps] of [10, 9, 7, 2].entries()) {
    const res = await api.respond({
      surveyId: 'demo',
      submissionId: `e2e-workspace-${i}`,
      answers: { nps, csat: 4, ces: 6 },
      attributes: { store: 's-001', region: 'north' },
    });
    expect(res.status).toBe(201);
  }
  // A detractor whose comment and store attribute try to run script: it opens a case.
  const res = await api.respond({
    surveyId: 'demo',
    submissionId: 'e2e-workspace-xss',
    answers: { nps: 1, csat: 1, ces: 2, comment: XSS },
    attributes: { store: XSS_STORE, region: 'north' },
  });
  expect(res.status).toBe(201);
  // Two comments that open no case, for the Comments screen's search: a passive at another store, a promoter.
  for (const [id, nps, store, comment] of [
    ['e2e-workspace-slow', 8, 's-002', 'La atención fue lentísima en la CAJA'],
    ['e2e-workspace-thanks', 10, 's-001', 'Excelente servicio, gracias'],
  ] as const) {
    const answered = await api.respond({
      surveyId: 'demo',
      submissionId: id,
      answers: { nps, csat: 5, ces: 6, comment },
      attributes: { store, region: 'north' },
      locale: 'es',
    });
    expect(answered.status, answered.text).toBe(201);
  }
  // A campaign sending to three contacts, for the overview's reach.
  const rows = [1, 2, 3].map((i) => ({
    line: i + 1,
    fields: { email: `e2e-workspace-${i}@example.com`, locale: 'en', list: 'workspace' },
  }));
  expect((await api.admin('POST', 'v1/contacts/import', { rows })).status).toBe(200);
  const campaign = await api.admin('POST', 'v1/campaigns', {
    name: 'Spring <i>visits</i>',
    surveyId: 'demo',
    channel: 'email',
    audience: { attributes: { list: 'workspace' } },
  });
  campaignId = campaign.json.campaignId as string;
  expect((await api.admin('POST', `v1/campaigns/${campaignId}/start`)).status).toBe(202);
  await segmentedSurvey();
  await rt.idle();
  browser = await launchChromium();
});

/** A survey with a region > city > store hierarchy and a target, for the Segments screen; a city tries to run script. */
const SEG_SURVEY = 'e2e-segments';
const XSS_CITY = '<img src=x onerror="window.__xss=4">';
async function segmentedSurvey() {
  const demo = (await api.admin('GET', 'v1/surveys/demo')).json;
  const put = await api.admin('PUT', `v1/surveys/${SEG_SURVEY}`, {
    ...demo,
    id: SEG_SURVEY,
    alertRules: [],
    hierarchy: ['region', 'city', 'store'],
    targets: { nps: 40 },
    minResponsesToRank: 5,
  });
  expect(put.status, put.text).toBe(200);
  const places: [string, string, number, number][] = [
    ['lima', 's-100', 10, 6],
    ['lima', 's-101', 0, 6],
    ['cusco', 's-200', 9, 2],
    [XSS_CITY, 's-300', 8, 1],
  ];
  for (const [city, store, nps, count] of places)
    for (let i = 0; i < count; i++) {
      const res = await api.respond({
        surveyId: SEG_SURVEY,
        submissionId: `e2e-seg-${store}-${i}`,
        answers: { nps, csat: 4, ces: 6 },
        attributes: { region: 'north', city, store },
      });
      expect(res.status).toBe(201);
    }
}

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const viewports = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
} as const;

async function signedIn(
  kind: keyof typeof viewports,
  locale: string,
  person: { username: string; password: string },
  axe = true,
  ready = '[data-metric="nps"] .figure',
): Promise<Page> {
  // bypassCSP only so axe can be injected into the app, whose policy allows no inline script.
  const context = await browser.newContext({ ...viewports[kind], locale, bypassCSP: axe });
  const page = await context.newPage();
  await page.goto(rt.appUrl);
  await page.waitForURL((url) => url.href.startsWith(rt.oidc.issuer));
  if (axe) expect(await axeViolations(page)).toEqual([]);
  await page.fill('#username', person.username);
  await page.fill('#password', person.password);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => url.href.startsWith(rt.appUrl));
  await page.waitForSelector(ready);
  return page;
}

describe('the CX team web app', () => {
  it.each([
    { kind: 'phone', locale: 'pt-BR', username: 'carla', lang: 'pt', title: 'Visão geral' },
    { kind: 'desktop', locale: 'es-MX', username: 'bruno', lang: 'es', title: 'Resumen' },
    { kind: 'phone', locale: 'en-US', username: 'dev', lang: 'en', title: 'Overview' },
  ] as const)('signs $username in on a $kind and shows the overview in $lang', async (c) => {
    const person = rt.people.find((p) => p.username === c.username);
    if (!person) throw new Error(`no demo person ${c.username}`);
    const page = await signedIn(c.kind, c.locale, person);
    // The person's own language (from the ID token) wins over the browser's.
    const lang = person.locale;
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    if (lang === c.lang) expect(await page.textContent('h1')).toBe(c.title);
    expect(await axeViolations(page)).toEqual([]);
    if (c.kind === 'phone') {
      // Campaigns' reach is for the roles that read campaigns; a manager and a viewer see the figures alone.
      if (holds(person.role, 'pulso/campaigns.read')) await page.waitForSelector('.reach [data-campaign]');
      else expect(await page.locator('.reach').count()).toBe(0);
      expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    }
    await page.context().close();
  });

  it.each([
    {
      username: 'sam',
      screens: [
        '/app/',
        '/app/segments',
        '/app/comments',
        '/app/themes',
        '/app/cases',
        '/app/plans',
        '/app/surveys',
        '/app/routing',
        '/app/campaigns',
        '/app/links',
        '/app/exports',
        '/app/share',
        '/app/wall',
      ],
    },
    {
      username: 'ana',
      screens: [
        '/app/',
        '/app/segments',
        '/app/comments',
        '/app/themes',
        '/app/cases',
        '/app/plans',
        '/app/surveys',
        '/app/routing',
        '/app/campaigns',
        '/app/links',
        '/app/exports',
        '/app/share',
        '/app/access',
        '/app/audit',
        '/app/wall',
      ],
    },
    {
      username: 'carla',
      screens: [
        '/app/',
        '/app/segments',
        '/app/comments',
        '/app/themes',
        '/app/cases',
        '/app/plans',
        '/app/exports',
        '/app/share',
        '/app/wall',
      ],
    },
    { username: 'dev', screens: ['/app/', '/app/segments', '/app/themes', '/app/plans', '/app/wall'] },
  ] as const)(
    "shows $username only the screens of their role, and says so at another's address",
    async (c) => {
      const person = rt.people.find((p) => p.username === c.username);
      if (!person) throw new Error(`no demo person ${c.username}`);
      const page = await signedIn('desktop', 'en-US', person, false);
      const links = await page
        .locator('nav.screens a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links).toEqual(c.screens);
      await expect.poll(() => page.locator('.who').textContent()).toContain(person.name);
      // The overview's cases card is there for whoever reads cases, and for nobody else.
      await page.waitForSelector('[data-metric="csat"] .figure');
      const readsCases = (c.screens as readonly string[]).includes('/app/cases');
      if (readsCases) await page.waitForSelector('[data-metric="cases"]');
      expect(await page.locator('[data-metric="cases"]').count()).toBe(readsCases ? 1 : 0);
      if (!readsCases) {
        await page.goto(`${rt.appUrl}comments`);
        await expect.poll(() => page.locator('main [role="alert"]').textContent()).toMatch(/role/i);
        expect(await page.locator('.comments, table').count()).toBe(0);
      }
      await page.context().close();
    },
  );

  it('grants a manager a store in the Access screen, narrowing their figures at once, then takes it back', async () => {
    const admin = await signedIn('desktop', 'en-US', { username: 'ana', password: 'ana-local' });
    await admin.click('nav.screens a[href="/app/access"]');
    await admin.waitForSelector('ul.grants li[data-subject="person:eli"]');
    await admin.selectOption('#grant-kind', 'person');
    await admin.fill('#grant-who', 'eli');
    await admin.fill('#grant-places', 'store:s-001');
    await admin.click('form.action button[type="submit"]');
    await expect
      .poll(() => admin.locator('li[data-subject="person:eli"] .what').textContent())
      .toContain('store:s-001');
    expect(await axeViolations(admin)).toEqual([]);

    const eli = rt.people.find((p) => p.username === 'eli');
    if (!eli) throw new Error('no demo person eli');
    const manager = await signedIn('desktop', 'es-MX', eli, false);
    expect(await manager.getAttribute('.places', 'data-places')).toBe('store:s-001');
    const { nps } = (await api.admin('GET', 'v1/surveys/demo/metrics?window=7d&segment=store:s-001'))
      .json as {
      nps: { n: number };
    };
    await expect
      .poll(() => manager.locator('[data-metric="nps"] .n').textContent())
      .toBe(`${nps.n} respuestas`);
    await manager.context().close();

    await admin.click('li[data-subject="person:eli"] button');
    await admin.locator('li[data-subject="person:eli"]').waitFor({ state: 'detached' });
    const after = await signedIn('desktop', 'es-MX', eli, false, '.places');
    expect(await after.getAttribute('.places', 'data-places')).toBe('');
    await after.waitForSelector('[data-metric="nps"]');
    expect(await after.locator('[data-metric="nps"] .figure').count()).toBe(0);
    await after.context().close();

    // Both changes are in the audit trail, newest first, with who made them.
    await admin.click('nav.screens a[href="/app/audit"]');
    const changes = admin.locator('table.audit tr[data-action="change"]');
    await expect.poll(() => changes.count()).toBeGreaterThanOrEqual(2);
    expect(await changes.nth(0).textContent()).toContain('DELETE /v1/access/grants/{subject}');
    expect(await changes.nth(1).textContent()).toContain('PUT /v1/access/grants/{subject}');
    expect(await changes.nth(0).textContent()).toContain('ana');
    expect(await axeViolations(admin)).toEqual([]);
    await admin.context().close();
  });

  it('shows the same NPS, answers and interval as the metrics API for the period chosen, under its own CSP', async () => {
    const page = await signedIn('phone', 'en-US', { username: 'sam', password: 'sam-local' }, false);
    for (const window of ['30d', '7d'] as const) {
      await page.check(`input[name="period"][value="${window}"]`);
      const { nps } = (await api.admin('GET', `v1/surveys/demo/metrics?window=${window}`)).json as {
        nps: { score: number; n: number; ci95: { low: number; high: number } };
      };
      const card = page.locator('[data-metric="nps"]');
      const en = (x: number) => x.toLocaleString('en', { maximumFractionDigits: 1 });
      await expect.poll(() => card.locator('.figure').textContent()).toBe(en(nps.score));
      expect(await card.locator('.n').textContent()).toBe(`${nps.n} answers`);
      expect(await card.locator('.ci').textContent()).toBe(
        `95% interval: ${en(nps.ci95.low)} to ${en(nps.ci95.high)}`,
      );
    }
    expect(await page.locator('[data-metric="nps"] dd').allTextContents()).toEqual(['3', '2', '2']);
    await page.context().close();
  });

  it("draws each headline's trend and score distribution, with the API's figures in their tables", async () => {
    const page = await signedIn('desktop', 'en-US', { username: 'sam', password: 'sam-local' }, false);
    const report = (await api.admin('GET', 'v1/surveys/demo/metrics?window=7d&trend=day')).json as {
      questions: { nps: { distribution: { score: number; count: number }[] } };
      trend: { day: string; questions: { nps: { n: number; score: number } } }[];
    };
    const nps = page.locator('[data-question="nps"]');
    const charts = nps.locator('svg[role="img"]');
    expect(await charts.count()).toBe(2);
    // Each chart is named and described for screen readers.
    for (const chart of await charts.all()) {
      const name = await chart.evaluate((svg) =>
        (svg.getAttribute('aria-labelledby') ?? '')
          .split(' ')
          .map((id: string) => svg.ownerDocument.getElementById(id)?.textContent ?? '')
          .join(' | '),
      );
      expect(name).toMatch(/Net Promoter Score.+\|.+\d/);
    }
    expect(await nps.locator('path.band').getAttribute('d')).toBeTruthy();
    // The campaign sending to three contacts, its name as text.
    const row = page.locator(`[data-campaign="${campaignId}"]`);
    expect(await row.locator('h3').textContent()).toBe('Spring <i>visits</i>');
    expect(await row.locator('[data-count="invited"]').textContent()).toBe('3');
    // The distribution's table: a row per score 0-10 with the API's counts.
    const tables = nps.locator('details');
    await tables.nth(1).locator('summary').click();
    await tables.nth(1).locator('tbody tr').first().waitFor();
    const rows = await tables
      .nth(1)
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows).toEqual(
      report.questions.nps.distribution.map((d) => [
        String(d.score),
        d.score >= 9 ? 'Promoters' : d.score >= 7 ? 'Passives' : 'Detractors',
        String(d.count),
      ]),
    );
    // The trend's table: a row per day with answers, with its n.
    await tables.nth(0).locator('summary').click();
    await tables.nth(0).locator('tbody tr').first().waitFor();
    const days = await tables.nth(0).locator('tbody tr td:last-child').allTextContents();
    expect(days).toEqual(report.trend.map((t) => String(t.questions.nps.n)));
    await page.context().close();
  });

  it('works a case from the inbox to resolved, each step in its history, customer text inert', async () => {
    const page = await signedIn('phone', 'es-MX', { username: 'bruno', password: 'bruno-local' });
    await page.click('nav.screens a[href="/app/cases"]');
    await page.waitForSelector('ul.inbox li');
    expect(await axeViolations(page)).toEqual([]);
    const entry = page.locator('ul.inbox li', { hasText: 'the queue was' });
    // The customer's comment is shown as the text it is.
    expect(await entry.locator('.quote').textContent()).toBe(XSS);
    expect(await entry.locator('.meta').textContent()).toContain(XSS_STORE);
    await entry.locator('a').click();
    await page.waitForSelector('#case-title');
    expect(await page.textContent('[data-field="status"]')).toBe('Abierto');
    expect(await axeViolations(page)).toEqual([]);

    await page.click('button:text("Reconocer")');
    await expect.poll(() => page.textContent('[data-field="status"]')).toBe('Reconocido');
    // Assign: the field starts with the person signed in.
    expect(await page.inputValue('#assign-text')).toBe('bruno');
    await page.click('form:has(#assign-text) button');
    await expect.poll(() => page.textContent('[data-field="assignee"]')).toBe('bruno');
    const note = '<script>window.__xss=3</script> called back';
    await page.fill('#comment-text', note);
    await page.click('form:has(#comment-text) button');
    await expect
      .poll(() => page.locator('.history li[data-action="commented"] .note').textContent())
      .toBe(note);
    await page.fill('#resolve-note', 'Refunded the visit and apologised.');
    await page.fill('#resolve-cause', 'service-speed');
    await page.check('.resolve input[type="checkbox"]');
    await page.click('.resolve button[type="submit"]');
    await expect.poll(() => page.textContent('[data-field="status"]')).toBe('Resuelto');

    const actions = await page
      .locator('.history li')
      .evaluateAll((lis) => lis.map((li) => li.dataset.action));
    expect(actions.filter((a) => a !== 'notified')).toEqual([
      'opened',
      'acknowledged',
      'assigned',
      'commented',
      'resolved',
    ]);
    const caseId = decodeURIComponent(page.url().split('/').at(-1) ?? '');
    const stored = await api.admin('GET', `v1/cases/${encodeURIComponent(caseId)}`);
    expect(stored.json).toMatchObject({
      status: 'resolved',
      assignee: 'bruno',
      resolutionNote: 'Refunded the visit and apologised.',
      rootCause: 'service-speed',
      customerContacted: true,
    });
    // Now it is bruno's: the "mine" view lists it.
    await page.click('a:text("Volver a los casos")');
    await page.click('nav.views a[href="/app/cases?mine=true"]');
    // The whole inbox may still be shown for a moment, or nothing while the view loads: wait for the view's own list.
    await expect.poll(() => page.locator('ul.inbox li').count(), { timeout: 10_000 }).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(await ranPayload(page)).toBe(0);
    await page.context().close();
  });

  it("links a case a Zendesk rating opened back to the ticket, the vendor's text inert", async () => {
    if (!rt.vendors) throw new Error('no vendors');
    const TICKET_XSS = '<img src=x onerror="window.__xss=4"> nadie respondió el ticket';
    const ticket = String(Date.now() % 100_000_000);
    const res = await send(
      zendeskRequest(rt.vendors.zendesk, {
        ticket: {
          id: ticket,
          url: `acme.zendesk.com/agent/tickets/${ticket}`,
          group: '<b>Soporte</b>',
          language: 'Español',
        },
        satisfaction: { rating: 'Malo', comment: TICKET_XSS },
        attributes: { store: 's-zendesk' },
      }),
    );
    expect(res.status).toBe(201);
    await rt.streamsIdle();
    const page = await signedIn('phone', 'es-MX', { username: 'bruno', password: 'bruno-local' });
    await page.goto(`${rt.appUrl}cases/${encodeURIComponent(caseIdOf('demo', `zendesk.${ticket}`))}`);
    const link = page.locator('a', { hasText: `Abrir en Zendesk: ${ticket}` });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`https://acme.zendesk.com/agent/tickets/${ticket}`);
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await page.locator('.quote').textContent()).toBe(TICKET_XSS);
    expect(await axeViolations(page)).toEqual([]);
    expect(await ranPayload(page)).toBe(0);
    await page.context().close();
  });

  it('makes a QR code for a store and downloads it as SVG and PNG; the link opens the survey for that store', async () => {
    const page = await signedIn('desktop', 'en-US', { username: 'ana', password: 'ana-local' });
    await page.click('nav.screens a[href="/app/links"]');
    await page.fill('#link-store', 's-qr');
    await page.selectOption('#link-lang', 'es');
    await page.click('form.action button[type="submit"]');
    const url = await page.locator('.made .url a').textContent();
    expect(url).toMatch(/\/s\/demo\?.*store=s-qr/);
    // ana reads Portuguese.
    expect(await page.locator('.made img').getAttribute('alt')).toBe(`Código QR de ${url}`);
    expect(await axeViolations(page)).toEqual([]);
    for (const [format, magic] of [
      ['svg', '<svg'],
      ['png', '\x89PNG'],
    ] as const) {
      const download = page.waitForEvent('download');
      await page.click(`.downloads a[data-format="${format}"]`);
      const file = await download;
      expect(file.suggestedFilename()).toBe(`qr-demo-store-s-qr.${format}`);
      const bytes = readFileSync((await file.path()) ?? '');
      expect(bytes.toString('latin1')).toContain(magic);
    }
    // The link is signed: the survey page takes it and carries the store into the form.
    const survey = await fetch(url ?? '');
    expect(survey.status).toBe(200);
    expect(await survey.text()).toContain('name="attr.store" value="s-qr"');
    await page.context().close();
  });

  it('starts an action plan, adds a task and marks it done, and shows its impact as a chart', async () => {
    const page = await signedIn('phone', 'en-US', { username: 'sam', password: 'sam-local' });
    await page.click('nav.screens a[href="/app/plans"]');
    await page.waitForSelector('#plan-title');
    await page.fill('#plan-title', 'Shorter queues at <b>s-001</b>');
    await page.fill('#plan-segment', 'store:s-001');
    await page.fill('#plan-owner', 'manager@example.com');
    await page.click('form.action button[type="submit"]');
    const entry = page.locator('ul.inbox li', { hasText: 'Shorter queues' });
    await entry.waitFor();
    expect(await entry.locator('.what').textContent()).toBe('Shorter queues at <b>s-001</b>');
    expect(await axeViolations(page)).toEqual([]);
    await entry.locator('a').click();
    await page.waitForSelector('#plan-title');
    await page.fill('#task-new', 'A second till at lunch time');
    await page.click('form:has(#task-new) button');
    await page.locator('.tasks li', { hasText: 'A second till' }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.selectOption('#task-0', 'done');
    await expect.poll(() => page.textContent('main h2:nth-of-type(2)')).toBe('1 of 1 tasks done');
    // The impact: before and since the start, as a named chart with its table.
    const chart = page.locator('svg[role="img"]');
    expect(await chart.locator('title').textContent()).toBe('nps before the start and since');
    expect(await chart.locator('desc').textContent()).toBe(await page.textContent('[data-field="change"]'));
    expect(await axeViolations(page)).toEqual([]);
    const planId = decodeURIComponent(page.url().split('/').at(-1) ?? '');
    const stored = await api.admin('GET', `v1/plans/${encodeURIComponent(planId)}`);
    expect(stored.json).toMatchObject({
      segment: 'store:s-001',
      owner: 'manager@example.com',
      tasks: [{ title: 'A second till at lunch time', status: 'done' }],
    });
    await page.context().close();
  });

  it('shows the wall without the chrome and refreshes it on its own when answers come in', async () => {
    const page = await signedIn('desktop', 'pt-BR', { username: 'ana', password: 'ana-local' });
    await page.goto(`${rt.appUrl}wall?survey=demo&every=10`);
    const nps = page.locator('.wall [data-metric="nps"]');
    await nps.locator('.figure').waitFor();
    expect(await page.locator('header.top').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    const before = await nps.locator('.n').textContent();
    const res = await api.respond({
      surveyId: 'demo',
      submissionId: 'e2e-workspace-wall',
      answers: { nps: 10, csat: 5, ces: 7 },
    });
    expect(res.status).toBe(201);
    await rt.idle();
    const { nps: figures } = (await api.admin('GET', 'v1/surveys/demo/metrics?window=7d')).json as {
      nps: { n: number };
    };
    await expect
      .poll(() => nps.locator('.n').textContent(), { timeout: 30_000, interval: 500 })
      .toBe(`${figures.n} respostas`);
    expect(before).not.toBe(`${figures.n} respostas`);
    await page.context().close();
  });

  it("drills down from a region to a store's own figures in the league tables, customer text inert", async () => {
    const page = await signedIn('phone', 'pt-BR', { username: 'ana', password: 'ana-local' });
    await page.click('nav.screens a[href="/app/segments"]');
    await page.locator('.controls select').first().selectOption(SEG_SURVEY);
    const level = (key: string, parent = '') => page.locator(`[data-key="${key}"][data-parent="${parent}"]`);
    await level('region').locator('[data-segment="region:north"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await level('region').locator('[data-segment="region:north"] a').click();
    const cities = level('city', 'region:north');
    await cities.waitFor();
    expect(await cities.locator('tbody th').allTextContents()).toEqual(
      expect.arrayContaining(['lima', 'cusco', XSS_CITY]),
    );
    // One answer is too few to rank: shown last, with no rank, and said so.
    const xss = cities.locator('tbody tr').last();
    expect(await xss.locator('th').textContent()).toBe(XSS_CITY);
    expect(await xss.locator('td').first().textContent()).toBe('–');
    expect(await xss.locator('.marks').textContent()).toBe('Poucas respostas para classificar');

    await cities.locator('[data-segment="city:lima"] a').click();
    const stores = level('store', 'city:lima');
    await stores.waitFor();
    expect(await page.locator('nav.crumbs li').allTextContents()).toEqual([
      'Todos',
      'region:north',
      'city:lima',
    ]);
    const rows = await stores
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.children[0]?.textContent, tr.children[1]?.textContent]));
    expect(rows).toEqual([
      ['1', 's-100'],
      ['2', 's-101'],
    ]);
    expect(await stores.locator('[data-segment="store:s-101"] .marks').textContent()).toBe(
      'Abaixo da meta (40)',
    );
    expect(await axeViolations(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);

    // The last level opens the store's own overview, with the figures the metrics API gives that segment.
    await stores.locator('[data-segment="store:s-101"] a').click();
    await page.waitForURL((url) => url.searchParams.get('segment') === 'store:s-101');
    const { nps } = (await api.admin('GET', `v1/surveys/${SEG_SURVEY}/metrics?window=7d&segment=store:s-101`))
      .json as { nps: { score: number; n: number } };
    const card = page.locator('[data-metric="nps"]');
    await expect.poll(() => card.locator('.figure').textContent()).toBe(nps.score.toLocaleString('pt-BR'));
    expect(await card.locator('.n').textContent()).toBe(`${nps.n} respostas`);
    // Its comments are a link away, for the same period and store.
    expect(await page.getAttribute('.scope a[href^="/app/comments"]', 'href')).toBe(
      '/app/comments?window=7d&segment=store%3As-101',
    );
    // Back in the city: the browser's own back button returns to the table.
    await page.goBack();
    await stores.waitFor();
    expect(await ranPayload(page)).toBe(0);
    await page.context().close();
  });

  it('reads the comments by words without accents, score band and store, and opens the case of one, customer text inert', async () => {
    const page = await signedIn('phone', 'es-MX', { username: 'bruno', password: 'bruno-local' });
    await page.click('nav.screens a[href="/app/comments"]');
    await page.locator('.controls select').first().selectOption('demo');
    const listed = () =>
      page.locator('.comments article').evaluateAll((as) => as.map((a) => a.getAttribute('data-submission')));
    const article = (id: string) => page.locator(`article[data-submission="${id}"]`);
    await article('e2e-workspace-xss').waitFor();
    expect(await listed()).toEqual(
      expect.arrayContaining(['e2e-workspace-xss', 'e2e-workspace-slow', 'e2e-workspace-thanks']),
    );
    // Each comment as the customer wrote it, with its scores and where it was given.
    expect(await article('e2e-workspace-xss').locator('blockquote').textContent()).toBe(XSS);
    expect(await article('e2e-workspace-xss').locator('.where').textContent()).toBe(
      ` · region: north · store: ${XSS_STORE}`,
    );
    expect(await article('e2e-workspace-slow').locator('.scores li').first().textContent()).toBe(
      'Net Promoter Score: 8 (Pasivos)',
    );
    expect(
      await page.locator('.comments article b, .comments article img, .comments article script').count(),
    ).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);

    // Words without their accents and case, and a band: only the passive who waited at the till.
    await page.fill('input[name="q"]', 'atencion caja');
    await page.locator('select[name="band"]').selectOption('nps:passive');
    await page.click('search button[type="submit"]');
    await page.waitForURL((url) => url.searchParams.get('q') === 'atencion caja');
    await expect.poll(listed).toEqual(['e2e-workspace-slow']);
    expect(await page.locator('.comments article .to').count()).toBe(0);

    // Detractors of one store, chosen by its key and value: the XSS detractor, who opened a case.
    await page.fill('input[name="q"]', '');
    await page.locator('select[name="band"]').selectOption('nps:detractor');
    await page.locator('select[name="key"]').selectOption('store');
    // The stores the survey has seen are offered (as text: the XSS store's name is an option's value, inert).
    await expect
      .poll(() =>
        page.locator('#place-values option').evaluateAll((os) => os.map((o) => o.getAttribute('value'))),
      )
      .toEqual(expect.arrayContaining(['s-001', 's-002', XSS_STORE]));
    await page.fill('input[name="value"]', XSS_STORE);
    await page.click('search button[type="submit"]');
    await page.waitForURL((url) => url.searchParams.get('band') === 'nps:detractor');
    await expect.poll(listed).toEqual(['e2e-workspace-xss']);
    expect(await axeViolations(page)).toEqual([]);

    await article('e2e-workspace-xss').locator('a.to').click();
    await page.waitForURL((url) => url.pathname.startsWith('/app/cases/'));
    await expect.poll(() => page.locator('blockquote.quote').first().textContent()).toBe(XSS);
    // Back to the same comments, filters and all.
    await page.goBack();
    await expect.poll(listed).toEqual(['e2e-workspace-xss']);
    expect(await page.inputValue('input[name="value"]')).toBe(XSS_STORE);
    expect(await ranPayload(page)).toBe(0);
    await page.context().close();
  });

  it("shows the period's themes with their impact on NPS, then a theme's negative comments, customer text inert", async () => {
    // A store of its own: waiting comes up with detractors, staff with promoters; one comment tries to run script.
    const answers: [number, string][] = [
      [2, 'Pésimo: esperamos casi una hora en la fila'],
      [3, 'Horrible, la fila no avanzaba'],
      [1, `Mucha espera, muy mal servicio ${XSS}`],
      [10, 'El personal muy amable'],
      [9, 'Excelente atención del cajero, muy amable'],
      [10, 'Todo perfecto'],
    ];
    for (const [i, [nps, comment]] of answers.entries()) {
      const res = await api.respond({
        surveyId: 'demo',
        submissionId: `e2e-themes-${i}`,
        answers: { nps, csat: nps > 6 ? 5 : 1, ces: 4, comment },
        attributes: { store: 's-900', region: 'south' },
        locale: 'es',
      });
      expect(res.status, res.text).toBe(201);
    }
    await rt.idle();
    const figures = (await api.admin('GET', 'v1/surveys/demo/metrics?window=30d&segment=store:s-900')).json;

    const page = await signedIn('desktop', 'en-US', { username: 'sam', password: 'sam-local' });
    await page.goto(`${rt.appUrl}themes?survey=demo&window=30d&segment=store:s-900`);
    const row = (theme: string) => page.locator(`table.themes tr[data-theme="${theme}"]`);
    await row('waiting').waitFor();
    // The table says what the API says: the comments, the two NPS and the impact with its interval.
    const waiting = figures.themes.find((t: { id: string }) => t.id === 'waiting');
    expect(waiting.comments).toBe(3);
    const cells = await row('waiting').locator('th, td').allTextContents();
    const en = (x: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(x);
    expect(cells.slice(0, 5)).toEqual([
      'Waiting time',
      '3',
      '50%',
      en(waiting.npsMentioning),
      en(waiting.npsOthers),
    ]);
    expect(cells[5]).toContain(en(waiting.impact.value));
    // Most talked-about first; themes nobody mentioned are left out.
    const order = await page
      .locator('table.themes tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-theme')));
    expect(order[0]).toBe('waiting');
    expect(order).not.toContain('delivery');
    const sentiment = await page
      .locator('table.sentiment tr[data-sentiment="negative"] td')
      .first()
      .textContent();
    expect(sentiment).toBe(String(figures.sentiment.negative));
    expect(await axeViolations(page)).toEqual([]);

    // From the theme to its comments, narrowed to the negative ones.
    await row('waiting').locator('a').click();
    await page.waitForURL(
      (url) => url.pathname === '/app/comments' && url.searchParams.get('theme') === 'waiting',
    );
    await page.locator('select[name="sentiment"]').selectOption('negative');
    await page.click('search button[type="submit"]');
    await page.waitForURL((url) => url.searchParams.get('sentiment') === 'negative');
    const listed = () =>
      page.locator('.comments article').evaluateAll((as) => as.map((a) => a.getAttribute('data-submission')));
    await expect.poll(listed, { timeout: 15_000 }).toEqual(['e2e-themes-2', 'e2e-themes-1', 'e2e-themes-0']);
    expect(await page.locator('article[data-submission="e2e-themes-0"] .reading').textContent()).toBe(
      'Read as negative · About: Waiting time',
    );
    expect(await page.locator('article[data-submission="e2e-themes-2"] blockquote').textContent()).toBe(
      `Mucha espera, muy mal servicio ${XSS}`,
    );
    expect(await page.locator('.comments article img, .comments article script').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(await ranPayload(page)).toBe(0);
    await page.context().close();
  });

  it('exports the responses of a store as a CSV on a phone, and its rows are the answers sent there', async () => {
    const page = await signedIn('phone', 'es-MX', { username: 'bruno', password: 'bruno-local' });
    await page.click('nav.screens a[href="/app/exports"]');
    await page.waitForSelector('#exports-title');
    await page.selectOption('.controls select >> nth=0', 'demo');
    await page.waitForSelector('.export-form');
    expect(await axeViolations(page)).toEqual([]);
    await page.check('input[name="kind"][value="responses"]');
    await page.selectOption('.export-form select[name="key"]', 'store');
    await page.fill('.export-form input[name="value"]', 's-001');
    await page.click('.export-form button[type="submit"]');
    // Prepared in the background; the list is read again until the file is ready.
    const button = page.locator('.exports li').first().locator('.ready button');
    await button.waitFor({ timeout: 30_000 });
    expect(await axeViolations(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    const download = page.waitForEvent('download');
    await button.click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(
      /^pulso-demo-responses-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}-store-s-001\.csv$/,
    );
    const rows = parse(readFileSync((await file.path()) ?? ''), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    const sentToS001 = [0, 1, 2, 3].map((i) => `e2e-workspace-${i}`).concat('e2e-workspace-thanks');
    expect(rows.map((r) => r.submission_id).sort()).toEqual(sentToS001.sort());
    expect(rows.find((r) => r.submission_id === 'e2e-workspace-thanks')).toMatchObject({
      nps: '10',
      comment: 'Excelente servicio, gracias',
      store: 's-001',
      region: 'north',
      locale: 'es',
    });
    expect(rows.find((r) => r.submission_id === 'e2e-workspace-3')).toMatchObject({ nps: '2', comment: '' });
    expect(await page.textContent('.exports li')).toContain('5 filas');
    expect(await ranPayload(page)).toBe(0);
    await page.context().close();
  });

  it('shares a store with someone without an account, without its comments, then turns the link off', async () => {
    const owner = await signedIn('desktop', 'en-US', { username: 'sam', password: 'sam-local' });
    await owner.click('nav.screens a[href="/app/share"]');
    await owner.waitForSelector('#share-title');
    await owner.selectOption('.controls select >> nth=0', 'demo');
    await owner.selectOption('.share-form select[name="key"]', 'store');
    await owner.fill('.share-form input[name="value"]', 's-002');
    await owner.check('.share-form input[name="days"][value="7"]');
    await owner.click('.share-form button[type="submit"]');
    const url = await owner.locator('.made input.url').inputValue();
    expect(url).toMatch(new RegExp(`^${rt.appUrl}shared/shr_[a-z0-9]{12}\\.[a-z0-9]{32}$`));
    expect(await axeViolations(owner)).toEqual([]);
    // Someone without an account, on a phone: no sign-in, the store's figures, no comment.
    const context = await browser.newContext({ ...viewports.phone, locale: 'es-MX', bypassCSP: true });
    const guest = await context.newPage();
    await guest.goto(url);
    await guest.waitForSelector('[data-metric="nps"] .figure');
    expect(guest.url()).toBe(url);
    const metrics = await api.admin('GET', 'v1/surveys/demo/metrics?window=30d&segment=store:s-002');
    expect(await guest.textContent('[data-metric="nps"] .n')).toContain(String(metrics.json.nps.n));
    expect(await guest.textContent('main')).toContain('store:s-002');
    expect(await guest.textContent('body')).not.toContain('lentísima');
    expect(await axeViolations(guest)).toEqual([]);
    expect(await pageWidth(guest)).toBeLessThanOrEqual(390);
    // The browser's language first (Spanish here), switchable.
    expect(await guest.textContent('.scope')).toContain('compartida contigo');
    await guest.selectOption('.shared .controls select', 'en');
    expect(await guest.textContent('.scope')).toContain('shared with you');
    expect(await guest.getAttribute('html', 'lang')).toBe('en');
    // Turned off: the next view is refused.
    await owner.click('.shares li[data-status="active"] button.secondary >> nth=0');
    await owner.waitForSelector('.shares li[data-status="revoked"]');
    await guest.reload();
    await expect.poll(() => guest.textContent('[role="alert"]')).toContain('ya no funciona');
    expect(await guest.getAttribute('html', 'lang')).toBe('es');
    expect(await axeViolations(guest)).toEqual([]);
    await context.close();
    await owner.context().close();
  });

  it('creates an email campaign for a contact list, starts it and watches its reach grow, its name inert', async () => {
    const rows = [1, 2].map((i) => ({
      line: i + 1,
      fields: { email: `e2e-campaign-${i}@example.com`, locale: 'es', list: 'e2e-campaign' },
    }));
    expect((await api.admin('POST', 'v1/contacts/import', { rows })).status).toBe(200);
    const page = await signedIn('desktop', 'en-US', { username: 'sam', password: 'sam-local' });
    await page.click('nav.screens a[href="/app/campaigns"]');
    await page.waitForSelector('.campaign-form');
    expect(await axeViolations(page)).toEqual([]);
    const name = 'Winter <b onmouseover="window.__xss=5">push</b>';
    await page.fill('.campaign-form input[name="name"]', name);
    await page.selectOption('.campaign-form select[name="survey"]', 'demo');
    await page.check('.campaign-form input[name="channel"][value="email"]');
    await page.fill('.campaign-form input[name="audience-key"]', 'list');
    await page.fill('.campaign-form input[name="audience-value"]', 'e2e-campaign');
    await page.click('.campaign-form button[type="submit"]');
    const item = page.locator('.campaigns li[data-status="draft"]').first();
    await item.waitFor();
    expect(await item.locator('.what strong').textContent()).toBe(name);
    await item.locator('button').click();
    const campaignId = await item.getAttribute('data-campaign');
    const started = page.locator(`.campaigns li[data-campaign="${campaignId}"][data-status="sending"]`);
    // The reach is read again while it sends: both contacts are invited without a reload.
    await expect
      .poll(() => started.locator('[data-count="invited"]').textContent(), { timeout: 30_000 })
      .toBe('2');
    const reach = await api.admin('GET', `v1/campaigns/${campaignId}/reach`);
    expect(reach.json.total.invited).toBe(2);
    expect(await axeViolations(page)).toEqual([]);
    expect(await ranPayload(page)).toBe(0);
    await page.context().close();
  });

  it('creates an SMS campaign that asks as a conversation from the two-way number, with no reminder offered', async () => {
    const phones = ['+5215500770001', '+5215500770002'];
    const rows = phones.map((phone, i) => ({
      line: i + 2,
      fields: { phone, locale: 'es', list: 'e2e-sms-conversation' },
    }));
    expect((await api.admin('POST', 'v1/contacts/import', { rows })).status).toBe(200);
    const page = await signedIn('desktop', 'en-US', { username: 'sam', password: 'sam-local' });
    await page.click('nav.screens a[href="/app/campaigns"]');
    await page.waitForSelector('.campaign-form');
    // WhatsApp is offered, as the runtime has a WhatsApp number; SMS asks with a link until a number is chosen.
    await page.waitForSelector('.campaign-form input[name="channel"][value="whatsapp"]');
    // WhatsApp always asks as a conversation, from its number.
    await page.check('.campaign-form input[name="channel"][value="whatsapp"]');
    expect(await page.inputValue('.campaign-form select[name="source"]')).not.toBe('');
    expect(await page.$('.campaign-form input[name="reminder"]')).toBeNull();
    await page.check('.campaign-form input[name="channel"][value="sms"]');
    expect(await page.inputValue('.campaign-form select[name="source"]')).toBe('');
    expect(await page.$('.campaign-form input[name="reminder"]')).not.toBeNull();
    await page.selectOption('.campaign-form select[name="source"]', 'sms');
    expect(await page.$('.campaign-form input[name="reminder"]')).toBeNull();
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('.campaign-form input[name="name"]', 'Conversación de diciembre');
    await page.fill('.campaign-form input[name="audience-key"]', 'list');
    await page.fill('.campaign-form input[name="audience-value"]', 'e2e-sms-conversation');
    await page.click('.campaign-form button[type="submit"]');
    const item = page.locator('.campaigns li[data-status="draft"]').first();
    await item.waitFor();
    expect(await item.locator('.when').textContent()).toContain('SMS conversation');
    const campaignId = await item.getAttribute('data-campaign');
    const made = await api.admin('GET', `v1/campaigns/${campaignId}`);
    expect(made.json).toMatchObject({ channel: 'sms', source: 'sms' });
    expect(made.json.reminderAfterDays).toBeUndefined();
    await item.locator('button').click();
    // Each contact gets the first question from the two-way number, in Spanish, and no link.
    const texted = () => rt.snsMessages().filter((m) => phones.includes(m.phoneNumber ?? ''));
    await expect.poll(() => texted().length, { timeout: 30_000 }).toBe(2);
    for (const m of texted()) {
      expect(m.message).not.toContain('http');
      expect(m.message).toContain('del 0 (nada probable) al 10 (muy probable)');
    }
    await page.context().close();
  });

  it('edits the routing table: a refused email is marked with why, then two tiers for a store are saved, one with a weekly report', async () => {
    const page = await signedIn('desktop', 'en-US', { username: 'sam', password: 'sam-local' });
    await page.click('nav.screens a[href="/app/routing"]');
    await page.waitForSelector('form.routing');
    const before = (await api.admin('GET', 'v1/routing')).json.routes as unknown[];
    await page.click('form.routing > .row button.secondary');
    const i = before.length;
    await page.fill(`[name="routes.${i}.segment"]`, 'store:s-777');
    await page.fill(`[name="routes.${i}.tiers.0.role"]`, 'Store manager');
    await page.fill(`[name="routes.${i}.tiers.0.email"]`, 'not-an-email');
    await page.click('form.routing button[type="submit"]');
    await page.waitForSelector('[role="alert"]');
    expect(await page.getAttribute(`[name="routes.${i}.tiers.0.email"]`, 'aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    // Nothing was saved.
    expect((await api.admin('GET', 'v1/routing')).json.routes).toEqual(before);
    await page.fill(`[name="routes.${i}.tiers.0.email"]`, 'manager-777@example.com');
    await page.click(`[data-route="${i}"] > .row button.secondary >> nth=0`);
    await page.fill(`[name="routes.${i}.tiers.1.role"]`, 'Area manager');
    await page.fill(`[name="routes.${i}.tiers.1.email"]`, 'area-7@example.com');
    await page.selectOption(`[name="routes.${i}.tiers.1.locale"]`, 'es');
    // The store manager asks for the weekly report of the store.
    await page.selectOption(`[name="routes.${i}.tiers.0.reports"]`, 'weekly');
    await page.click('form.routing button[type="submit"]');
    await page.waitForSelector('form.routing [role="status"]');
    expect(await page.$('[aria-invalid="true"]')).toBeNull();
    const saved = (await api.admin('GET', 'v1/routing')).json.routes as unknown[];
    expect(saved.at(-1)).toEqual({
      segment: 'store:s-777',
      tiers: [
        { role: 'Store manager', email: 'manager-777@example.com', reports: 'weekly' },
        { role: 'Area manager', email: 'area-7@example.com', locale: 'es' },
      ],
    });
    // Order matters (the first match wins): a route for the region moves above the store's.
    await page.click('form.routing > .row button.secondary');
    await page.fill(`[name="routes.${i + 1}.segment"]`, 'region:north');
    await page.fill(`[name="routes.${i + 1}.tiers.0.role"]`, 'Regional director');
    await page.fill(`[name="routes.${i + 1}.tiers.0.email"]`, 'north@example.com');
    await page.click(`[data-route="${i + 1}"] > .row button.secondary >> text=Move route ${i + 2} up`);
    expect(await page.inputValue(`[name="routes.${i}.segment"]`)).toBe('region:north');
    await page.click('form.routing button[type="submit"]');
    await page.waitForSelector('form.routing [role="status"]');
    const reordered = (await api.admin('GET', 'v1/routing')).json.routes as { segment: string }[];
    expect(reordered.slice(-2).map((r) => r.segment)).toEqual(['region:north', 'store:s-777']);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('edits a survey with its preview: refused fields marked as typed, the page shown as customers see it, then saved', async () => {
    const ana = rt.people.find((p) => p.username === 'ana');
    if (!ana) throw new Error('no demo person ana');
    const page = await signedIn('phone', 'pt-BR', ana);
    await page.click('nav.screens a[href="/app/surveys"]');
    await page.waitForSelector('.survey-editor form.editor');
    const preview = page.frameLocator('.preview iframe');
    // The demo survey, previewed in the person's language.
    await expect
      .poll(() => preview.locator('h1').textContent(), { timeout: 10_000 })
      .toBe('Como nos saímos?');
    expect(await axeViolations(page)).toEqual([]);

    const id = `e2e-edited-${Date.now().toString(36)}`;
    await page.selectOption('.survey-editor .pick select', '');
    await page.fill('[name="id"]', id);
    await page.fill('[name="title.en"]', `Store visit ${XSS}`);
    await page.fill('[name="title.pt"]', 'Visita à loja');
    await page.fill('[name="questions.0.text.en"]', 'Would you recommend us?');
    await page.fill('[name="questions.0.text.pt"]', 'Você nos recomendaria?');
    await page.fill('[name="segmentKeys"]', 'region, store');
    // The API's schema refuses a drill-down level that is not a place, and says why next to the field.
    await page.fill('[name="hierarchy"]', 'region, shelf');
    await expect
      .poll(() => page.getAttribute('[name="hierarchy"]', 'aria-invalid'), { timeout: 10_000 })
      .toBe('true');
    expect(await page.textContent('#hierarchy-problem')).toContain('shelf');
    await page.click('form.editor button[type="submit"]');
    await page.waitForSelector('form.editor [role="alert"]');
    expect((await api.admin('GET', `v1/surveys/${id}`)).status).toBe(404);
    await page.fill('[name="hierarchy"]', 'region, store');
    await expect.poll(() => page.getAttribute('[name="hierarchy"]', 'aria-invalid')).toBeNull();

    await page.click('text=Adicionar uma pergunta');
    await page.fill('[name="questions.1.text.en"]', 'How helpful was our staff?');
    await page.fill('[name="questions.1.text.pt"]', 'A equipe ajudou?');
    await page.fill('[name="targets.nps"]', '40');
    // Own rules start as the defaults written out: the detractor rule gets tighter SLAs.
    await page.uncheck('[name="alertRules.default"]');
    expect(await page.inputValue('[name="alertRules.0.id"]')).toBe('nps-detractor');
    expect(await page.inputValue('[name="alertRules.1.questionId"]')).toBe('q2');
    await page.fill('[name="alertRules.0.ackSlaHours"]', '4');
    await page.fill('[name="alertRules.0.resolveSlaHours"]', '24');
    await page.click('text=Adicionar um limite');
    await page.selectOption('[name="thresholds.0.segmentKey"]', 'store');
    await page.fill('[name="thresholds.0.below"]', '20');

    // The preview follows the draft, in each of its languages; the title's markup is text there.
    await expect
      .poll(() => preview.locator('form').textContent(), { timeout: 10_000 })
      .toContain('A equipe ajudou?');
    expect(await preview.locator('h1').textContent()).toBe('Visita à loja');
    await page.selectOption('[name="previewLanguage"]', 'en');
    await expect.poll(() => preview.locator('h1').textContent()).toBe(`Store visit ${XSS}`);
    expect(await preview.locator('img').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);

    await page.click('form.editor button[type="submit"]');
    await page.waitForSelector('form.editor [role="status"]');
    const saved = await api.admin('GET', `v1/surveys/${id}`);
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({
      title: { en: `Store visit ${XSS}`, pt: 'Visita à loja' },
      segmentKeys: ['region', 'store'],
      hierarchy: ['region', 'store'],
      targets: { nps: 40 },
      questions: [
        { id: 'nps', type: 'nps', text: { en: 'Would you recommend us?' } },
        { id: 'q2', type: 'csat', text: { en: 'How helpful was our staff?', pt: 'A equipe ajudou?' } },
      ],
      alertRules: [
        { id: 'nps-detractor', questionId: 'nps', op: 'lte', value: 6, ackSlaHours: 4, resolveSlaHours: 24 },
        { id: 'q2-low', type: 'answer', questionId: 'q2', op: 'lte', value: 2 },
      ],
      thresholds: [{ questionId: 'nps', segmentKey: 'store', below: 20, windowDays: 7 }],
    });
    expect(saved.json.title.es).toBeUndefined();
    // Customers now get it.
    const live = await api.call('GET', `s/${id}?lang=pt`);
    expect(live.text).toContain('A equipe ajudou?');
    expect(await ranPayload(page)).toBe(0);
    await page.context().close();
  });

  it("frames the survey preview under the app's own CSP and the preview's frame-ancestors", async () => {
    // No bypassCSP here: the app's policy (frame-src from its own origin) and the preview's (framed by 'self' only).
    const page = await signedIn('desktop', 'en-US', { username: 'sam', password: 'sam-local' }, false);
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|frame-ancestors/i.test(m.text())) refused.push(m.text());
    });
    await page.click('nav.screens a[href="/app/surveys"]');
    const preview = page.frameLocator('.preview iframe');
    await expect.poll(() => preview.locator('h1').textContent(), { timeout: 10_000 }).toBe('How did we do?');
    expect(await page.getAttribute('.preview iframe', 'sandbox')).toBe('');
    expect(refused).toEqual([]);
    await page.context().close();
  });

  it('refuses a wrong password on the sign-in page and stays there', async () => {
    const context = await browser.newContext({ ...viewports.phone, locale: 'es-MX', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(rt.appUrl);
    await page.waitForURL((url) => url.href.startsWith(rt.oidc.issuer));
    await page.fill('#username', 'ana');
    await page.fill('#password', 'wrong');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.textContent('[role="alert"]')).toContain('no coinciden');
    expect(page.url().startsWith(rt.oidc.issuer)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
