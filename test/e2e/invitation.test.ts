import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES } from '#kernel/survey.ts';
import { type Runtime, startRuntime } from '#local/runtime.ts';
import { axeViolations, launchChromium, phone } from './support.ts';

/**
 * Customers on phones with the invitation emails a real campaign sent through the local runtime: answering from
 * a score tapped in the mail, and unsubscribing from its footer. Without JavaScript, as many mail apps open links
 * in a plain in-app browser.
 */
let rt: Runtime;
let browser: Browser;
const run = Date.now().toString(36);
const list = `e2e-${run}`;
const addressOf = (locale: string) => `${locale}.${run}@example.com`;
let campaignId: string;
const mails = new Map<string, string>();

const admin = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(new URL(path, rt.apiUrl), {
    method,
    headers: { authorization: `Bearer ${rt.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const reach = async () => {
  await rt.idle();
  return (await admin('GET', `v1/campaigns/${campaignId}/reach`)).json.total as Record<string, number>;
};

beforeAll(async () => {
  rt = await startRuntime({
    ports: { api: 0, dynamodb: 0, ses: 0, sns: 0, sqs: 0 },
    quiet: true,
    schedules: 'manual',
  });
  browser = await launchChromium();
  // One contact per language (and one to unsubscribe with the keyboard).
  const rows = [...LOCALES, 'kb'].map((l, i) => ({
    line: i + 2,
    fields: { email: addressOf(l), locale: l === 'kb' ? 'en' : l, list, store: 's-e2e' },
  }));
  expect((await admin('POST', 'v1/contacts/import', { rows })).json.imported).toBe(4);
  const created = await admin('POST', 'v1/campaigns', {
    name: 'E2E',
    surveyId: 'demo',
    channel: 'email',
    audience: { attributes: { list } },
  });
  campaignId = created.json.campaignId as string;
  expect((await admin('POST', `v1/campaigns/${campaignId}/start`)).status).toBe(202);
  await rt.idle();
  const store = (await (await fetch(new URL('store', rt.mailboxUrl))).json()) as {
    emails: Array<{ destination: { to: string[] }; body: { html: string } }>;
  };
  for (const l of [...LOCALES, 'kb']) {
    const mail = store.emails.find((m) => m.destination.to.some((t) => t.includes(addressOf(l))));
    if (mail) mails.set(l, mail.body.html);
  }
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

describe('an invitation email on a phone', () => {
  it.each(LOCALES)('has no WCAG 2.2 AA violations in %s', async (locale) => {
    // axe runs as a script in the page.
    const page = await phone(browser);
    await page.setContent(mails.get(locale) ?? '');
    expect(await page.getAttribute('html', 'lang')).toBe(locale);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('is answered from a score tapped in the mail, once, and counted in the reach', async () => {
    const page = await phone(browser, { javaScriptEnabled: false, locale: 'pt-BR' });
    await page.setContent(mails.get('pt') ?? '');
    await page.locator('a[href*="score=9"]').first().tap();
    await page.waitForURL(/\/s\/demo\?/);
    expect(await page.getAttribute('html', 'lang')).toBe('pt');
    expect(await page.isChecked('input[name="nps"][value="9"]')).toBe(true);
    await page.locator('label.opt:has(input[name="csat"][value="4"])').tap();
    await page.locator('label.opt:has(input[name="ces"][value="6"])').tap();
    await page.locator('button[type="submit"]').tap();
    await expect.poll(() => page.textContent('h1')).toBe('Obrigado!');

    // The same link again: already answered, nothing to fill in.
    await page.goBack();
    await page.reload();
    expect(await page.locator('form').count()).toBe(0);
    expect(await reach()).toMatchObject({ invited: 4, delivered: 4, opened: 1, started: 1, completed: 1 });
    await page.context().close();
  });

  it('unsubscribes from the footer link: the page asks first, both pages are accessible', async () => {
    // JavaScript on only for axe; the page itself has no script (and its CSP allows none, hence bypassCSP).
    const page = await phone(browser, { locale: 'es-MX', bypassCSP: true });
    await page.setContent(mails.get('es') ?? '');
    await page.locator('a[href*="/unsubscribe?"]').first().tap();
    await page.waitForURL(/\/unsubscribe\?/);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    // Opening the link alone unsubscribes nobody (mail scanners follow links).
    expect((await reach()).unsubscribed).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('button[type="submit"]').tap();
    await expect.poll(() => page.locator('form').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect((await reach()).unsubscribed).toBe(1);
    await page.context().close();
  });

  it('unsubscribes with the keyboard alone', async () => {
    const page = await phone(browser, { javaScriptEnabled: false });
    await page.setContent(mails.get('kb') ?? '');
    const href = await page.locator('a[href*="/unsubscribe?"]').first().getAttribute('href');
    await page.goto(href ?? '');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('form').count()).toBe(0);
    expect((await reach()).unsubscribed).toBe(2);
    await page.context().close();
  });
});

describe('the follow-up after a resolved case, on a phone', () => {
  it('reaches the customer whose bad answer was resolved; the mail and each step of its page are accessible', async () => {
    // The English contact answers as a detractor, from the mail, without JavaScript.
    const answer = await phone(browser, { javaScriptEnabled: false });
    await answer.setContent(mails.get('en') ?? '');
    await answer.locator('a[href*="score=2"]').first().tap();
    await answer.waitForURL(/\/s\/demo\?/);
    await answer.locator('label.opt:has(input[name="csat"][value="1"])').tap();
    await answer.locator('label.opt:has(input[name="ces"][value="2"])').tap();
    await answer.locator('textarea[name="comment"]').fill(`Charged twice ${run}`);
    await answer.locator('button[type="submit"]').tap();
    await expect.poll(() => answer.locator('form').count()).toBe(0);
    await answer.context().close();
    await rt.idle();

    const cases = await admin('GET', 'v1/cases?surveyId=demo&status=open&limit=100');
    const opened = (cases.json.items as Array<{ caseId: string; answers: { comment?: string } }>).find(
      (c) => c.answers.comment === `Charged twice ${run}`,
    );
    const resolved = await admin('POST', `v1/cases/${opened?.caseId}/resolve`, {
      note: 'Refunded the second charge',
      rootCause: 'billing',
      customerContacted: true,
      followUp: true,
    });
    expect(resolved.json.recovery).toMatchObject({ status: 'scheduled' });
    const dueAt = Date.parse((resolved.json.recovery as { dueAt: string }).dueAt);
    await rt.runSchedule('EscalationSchedule', { time: new Date(dueAt + 60_000) });
    await rt.idle();
    const store = (await (await fetch(new URL('store', rt.mailboxUrl))).json()) as {
      emails: Array<{ destination: { to: string[] }; subject: string; body: { html: string } }>;
    };
    const mail = store.emails.find(
      (m) =>
        m.destination.to.some((t) => t.includes(addressOf('en'))) && m.subject === 'Did we put it right?',
    );
    expect(mail).toBeDefined();

    const page = await phone(browser, { bypassCSP: true });
    await page.setContent(mail?.body.html ?? '');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('a[href*="/follow-up?"]').first().tap();
    await page.waitForURL(/\/follow-up\?/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await axeViolations(page)).toEqual([]);
    // Submitting without an answer: the error is next to the question.
    await page.locator('button[type="submit"]').tap();
    await expect.poll(() => page.locator('.err').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('label.opt:has(input[name="recovery"][value="4"])').tap();
    await page.locator('button[type="submit"]').tap();
    await expect.poll(() => page.textContent('p')).toContain('glad it was put right');
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();

    const stored = await admin('GET', `v1/cases/${opened?.caseId}`);
    expect(stored.json.recovery).toMatchObject({ status: 'answered', score: 4, recovered: true });
  });
});
