import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSurvey, LOCALES, surveySchema } from '#domain/survey.ts';
import { renderInvitationEmail } from '../../lambdas/views/invitation-email.ts';
import { renderUnsubscribe, renderUnsubscribed } from '../../lambdas/views/pages.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let server: Server;
let base: string;
const posts: string[] = [];

/** GET /u/x shows the question, POST /u/x answers the confirmation: the shape of the real handler. */
beforeAll(async () => {
  server = createServer((req, res) => {
    const locale = LOCALES.find((l) => req.url?.endsWith(`lang=${l}`)) ?? 'en';
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        posts.push(body);
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(renderUnsubscribed({ locale }));
      });
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(renderUnsubscribe({ locale, action: req.url ?? '/' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
  await new Promise((resolve) => server?.close(resolve));
});

async function phone(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  return context.newPage();
}

async function axeViolations(page: Page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await (
      globalThis as unknown as {
        axe: { run: (o: object) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> };
      }
    ).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
}

describe('the unsubscribe page', () => {
  it.each(LOCALES)('has no WCAG 2.2 AA violations before and after unsubscribing in %s', async (locale) => {
    const page = await phone();
    await page.goto(`${base}/u/abc.def?lang=${locale}`);
    expect(await page.getAttribute('html', 'lang')).toBe(locale);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('button[type="submit"]').tap();
    await expect.poll(() => page.locator('form').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('unsubscribes with the keyboard alone, posting what a one-click client posts', async () => {
    const page = await phone();
    posts.length = 0;
    await page.goto(`${base}/u/abc.def?lang=en`);
    expect(posts).toEqual([]);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('h1')).toBe('You are unsubscribed');
    expect(posts).toEqual(['List-Unsubscribe=One-Click']);
    await page.context().close();
  });
});

describe('the invitation email', () => {
  it.each(LOCALES)('has no WCAG 2.2 AA violations when opened in %s', async (locale) => {
    const page = await phone();
    const { html } = renderInvitationEmail({
      survey: surveySchema.parse(demoSurvey),
      locale,
      surveyUrl: `${base}/s/demo?t=abc.def`,
      unsubscribeUrl: `${base}/u/abc.def`,
      reminder: false,
      senderName: 'Acme Stores',
    });
    await page.setContent(html);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});
