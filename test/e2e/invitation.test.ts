import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '#local/runtime.ts';

/**
 * A customer on a phone answers from the invitation email: taps a score in the mail, lands on the survey page
 * with that score chosen, finishes, and the campaign's reach counts it. Without JavaScript, as most mail apps
 * open links in a plain in-app browser.
 */
let rt: Runtime;
let browser: Browser;
const run = Date.now().toString(36);
const address = `bia.${run}@example.com`;

const admin = (method: string, path: string, body?: unknown) =>
  fetch(new URL(path, rt.apiUrl), {
    method,
    headers: { authorization: `Bearer ${rt.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeAll(async () => {
  rt = await startRuntime({
    ports: { api: 0, dynamodb: 0, ses: 0, sns: 0, sqs: 0 },
    quiet: true,
    schedules: 'manual',
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

describe('an invitation email on a phone', () => {
  it('is answered from a score tapped in the mail, once, and counted in the reach', async () => {
    const imported = await admin('POST', 'v1/contacts/import', {
      rows: [{ line: 2, fields: { email: address, locale: 'pt', list: `e2e-${run}`, store: 's-e2e' } }],
    });
    expect(imported.status).toBe(200);
    const created = (await (
      await admin('POST', 'v1/campaigns', {
        name: 'E2E',
        surveyId: 'demo',
        channel: 'email',
        audience: { attributes: { list: `e2e-${run}` } },
      })
    ).json()) as { campaignId: string };
    expect((await admin('POST', `v1/campaigns/${created.campaignId}/start`)).status).toBe(202);
    await rt.idle();
    const store = (await (await fetch(new URL('store', rt.mailboxUrl))).json()) as {
      emails: Array<{ destination: { to: string[] }; body: { html: string } }>;
    };
    const mail = store.emails.find((m) => m.destination.to.some((t) => t.includes(address)));
    expect(mail).toBeDefined();

    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled: false,
      locale: 'pt-BR',
    });
    const page = await context.newPage();
    await page.setContent(mail?.body.html ?? '');
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

    await rt.idle();
    const reach = (await (await admin('GET', `v1/campaigns/${created.campaignId}/reach`)).json()) as {
      total: Record<string, number>;
    };
    expect(reach.total).toMatchObject({ invited: 1, delivered: 1, opened: 1, started: 1, completed: 1 });
    await context.close();
  });
});
