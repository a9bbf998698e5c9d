/**
 * npm run docs:screens: the screenshots in docs/workspace.md, taken in Debian's Chromium against a fresh local
 * runtime with a few answers, a case, a campaign and a plan in it. English, a phone for the screens and a desktop
 * for the wall.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedHistory } from '#local/history.ts';
import { startRuntime } from '#local/runtime.ts';
import { launchChromium } from '../test/e2e/support.ts';
import { buildWeb } from '../web/build.ts';

const OUT = fileURLToPath(new URL('../docs/screens/', import.meta.url));
mkdirSync(OUT, { recursive: true });
await buildWeb();
const rt = await startRuntime({
  ports: { api: 0, dynamodb: 0, ses: 0, sns: 0, sqs: 0 },
  quiet: true,
  schedules: 'manual',
});
const admin = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${rt.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${rt.adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
};
const comments = [
  'Quick and friendly.',
  'The queue at the till was far too long.',
  'Muy amables, gracias.',
  '',
];
try {
  // Four stores in three cities of two regions, 40 answers each (enough to be ranked), each store its own mix.
  const stores = [
    { store: 's-001', city: 'lima', region: 'north', mix: [10, 9, 9, 8, 10, 7, 3, 9, 10, 6, 9, 10] },
    { store: 's-002', city: 'cusco', region: 'north', mix: [9, 8, 7, 10, 6, 9, 8, 7, 10, 9] },
    { store: 's-003', city: 'rio', region: 'south', mix: [3, 6, 8, 2, 9, 5, 7, 4, 10, 6] },
    { store: 's-004', city: 'rio', region: 'south', mix: [10, 10, 9, 9, 8, 10, 9, 7] },
  ];
  for (let i = 0; i < 160; i++) {
    const { mix, ...place } = stores[i % 4] ?? { mix: [9], store: 's-001' };
    const nps = mix[Math.floor(i / 4) % mix.length] ?? 9;
    await fetch(`${rt.apiUrl}v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        surveyId: 'demo',
        submissionId: `screens-${i}`,
        answers: {
          nps,
          csat: nps >= 9 ? 5 : nps >= 7 ? 4 : 2,
          ces: nps >= 7 ? 6 : 3,
          comment: comments[i % 4],
        },
        attributes: { ...place, channel: 'web' },
      }),
    });
  }
  const rows = [1, 2, 3, 4].map((i) => ({
    line: i + 1,
    fields: { email: `c${i}@example.com`, locale: 'en', list: 'spring' },
  }));
  await admin('POST', 'v1/contacts/import', { rows });
  const campaign = await admin('POST', 'v1/campaigns', {
    name: 'Spring visits',
    surveyId: 'demo',
    channel: 'email',
    audience: { attributes: { list: 'spring' } },
  });
  await admin('POST', `v1/campaigns/${campaign.campaignId}/start`);
  await admin('PUT', 'v1/routing', {
    routes: [
      {
        segment: 'store:s-001',
        tiers: [
          { role: 'Store manager', name: 'Lucía Rojas', email: 'lucia@example.com', locale: 'es' },
          { role: 'Area manager', email: 'area-north@example.com' },
        ],
      },
      { segment: '*', tiers: [{ role: 'CX team', email: 'cx-team@example.com', reports: 'weekly' }] },
    ],
  });
  const today = new Date().toISOString().slice(0, 10);
  await admin('POST', 'v1/plans', {
    title: 'Shorter queues at the till',
    surveyId: 'demo',
    segment: 'store:s-001',
    owner: 'manager@example.com',
    startDate: today,
    dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    tasks: [
      { title: 'A second till at lunch time', status: 'done' },
      { title: 'Show the queue length on the screen', status: 'doing' },
    ],
  });
  await rt.idle();

  const browser = await launchChromium();
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    locale: 'en-US',
  });
  const page = await phone.newPage();
  await page.goto(rt.appUrl);
  await page.waitForURL((url) => url.href.startsWith(rt.oidc.issuer));
  await page.screenshot({ path: join(OUT, 'sign-in.png') });
  await page.fill('#username', 'sam');
  await page.fill('#password', 'sam-local');
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-question="nps"] svg');
  await page.screenshot({ path: join(OUT, 'overview.png'), fullPage: true });
  await page.click('nav.screens a[href="/app/segments"]');
  await page.click('[data-segment="region:south"] a');
  await page.waitForSelector('[data-key="city"] tbody tr');
  await page.goto(`${rt.appUrl}segments?key=store&window=7d`);
  await page.waitForSelector('[data-key="store"] tbody tr');
  await page.screenshot({ path: join(OUT, 'segments.png'), fullPage: true });
  await page.goto(`${rt.appUrl}comments?window=30d&band=nps%3Adetractor`);
  await page.waitForSelector('.comments article');
  // The controls and the first few comments, not all 25.
  const size = page.viewportSize();
  await page.setViewportSize({ width: size?.width ?? 390, height: 1700 });
  await page.screenshot({ path: join(OUT, 'comments.png') });
  if (size) await page.setViewportSize(size);
  await page.click('nav.screens a[href="/app/cases"]');
  await page.waitForSelector('ul.inbox li');
  await page.screenshot({ path: join(OUT, 'cases.png') });
  await page.click('ul.inbox li a');
  await page.waitForSelector('#case-title');
  await page.screenshot({ path: join(OUT, 'case.png'), fullPage: true });
  await page.click('nav.screens a[href="/app/plans"]');
  await page.click('ul.inbox li a');
  await page.waitForSelector('.tasks');
  await page.screenshot({ path: join(OUT, 'plan.png'), fullPage: true });
  await page.click('nav.screens a[href="/app/routing"]');
  await page.waitForSelector('form.routing [data-route="1"]');
  await page.screenshot({ path: join(OUT, 'routing.png'), fullPage: true });
  // The survey editor beside its preview, as on a desktop.
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.click('nav.screens a[href="/app/surveys"]');
  await page.frameLocator('.preview iframe').locator('h1').waitFor();
  await page.screenshot({ path: join(OUT, 'surveys.png') });
  if (size) await page.setViewportSize(size);
  await page.click('nav.screens a[href="/app/campaigns"]');
  await page.waitForSelector('.campaigns li[data-status="sending"] [data-count="invited"]');
  await page.screenshot({ path: join(OUT, 'campaigns.png'), fullPage: true });
  await page.click('nav.screens a[href="/app/links"]');
  await page.fill('#link-store', 's-001');
  await page.click('form.action button[type="submit"]');
  await page.waitForSelector('.made img');
  await page.screenshot({ path: join(OUT, 'links.png'), fullPage: true });
  await page.click('nav.screens a[href="/app/exports"]');
  await page.selectOption('.export-form select[name="key"]', 'region');
  await page.fill('.export-form input[name="value"]', 'south');
  await page.click('.export-form button[type="submit"]');
  await page.check('input[name="kind"][value="aggregates"]');
  await page.selectOption('.export-form select[name="key"]', '');
  await page.click('.export-form button[type="submit"]');
  await page.locator('.exports li .ready button').nth(1).waitFor();
  await page.screenshot({ path: join(OUT, 'exports.png'), fullPage: true });
  await page.click('nav.screens a[href="/app/share"]');
  await page.selectOption('.share-form select[name="key"]', 'store');
  await page.fill('.share-form input[name="value"]', 's-001');
  await page.click('.share-form button[type="submit"]');
  await page.waitForSelector('.made input.url');
  await page.screenshot({ path: join(OUT, 'share.png'), fullPage: true });
  const storage = await page.evaluate(() => JSON.stringify(sessionStorage));
  const wall = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
  const screen = await wall.newPage();
  // The wall screen signs in once like any browser; here it takes the phone's session.
  await screen.addInitScript((s) => {
    for (const [k, v] of Object.entries(JSON.parse(s) as Record<string, string>))
      sessionStorage.setItem(k, v);
  }, storage);
  await screen.goto(`${rt.appUrl}wall?survey=demo`);
  await screen.waitForSelector('.wall [data-metric="nps"] .figure');
  await screen.screenshot({ path: join(OUT, 'wall.png') });
  // The CX team's weekly report, with the demo's 90 days of history behind its trend: sent by the hourly run on
  // the next Monday, then shown as a mail client would (the local mailbox inlines its images).
  const demo = await admin('GET', 'v1/surveys/demo');
  await admin('PUT', 'v1/surveys/visits', {
    ...demo,
    id: 'visits',
    title: { en: 'Store visits', es: 'Visitas a la tienda', pt: 'Visitas à loja' },
    targets: { nps: 40 },
  });
  await seedHistory({
    dynamodbEndpoint: rt.dynamodbEndpoint,
    tableName: rt.tableName,
    region: rt.region,
    surveyId: 'visits',
  });
  await rt.idle(180_000);
  const monday = new Date(`${new Date().toISOString().slice(0, 10)}T10:00:00Z`);
  monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7 || 7));
  await rt.runSchedule('ReportSchedule', { time: monday });
  await rt.idle();
  const { emails } = (await (await fetch(new URL('store', rt.mailboxUrl))).json()) as {
    emails: { subject: string; body: { html?: string } }[];
  };
  const report = emails.find((m) => m.subject.startsWith('Your weekly report'));
  if (!report?.body.html) throw new Error('no weekly report was sent');
  const mail = await wall.newPage();
  await mail.setViewportSize({ width: 720, height: 900 });
  await mail.setContent(report.body.html);
  await mail.screenshot({ path: join(OUT, 'report-email.png'), fullPage: true });
  await browser.close();
  console.log(`Screenshots in ${OUT}`);
} finally {
  await rt.stop();
}
process.exit(0);
