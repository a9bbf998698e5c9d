import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '#local/runtime.ts';
import { buildWeb } from '../../web/build.ts';
import { axeViolations, launchChromium } from './support.ts';

let rt: Runtime;
let browser: Browser;

beforeAll(async () => {
  await buildWeb();
  rt = await startRuntime({ quiet: true, schedules: 'manual' });
  // A few answers so the overview has figures: two promoters, a passive, a detractor.
  for (const [i, nps] of [10, 9, 7, 2].entries()) {
    const res = await fetch(`${rt.apiUrl}v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        surveyId: 'demo',
        submissionId: `e2e-workspace-${i}`,
        answers: { nps, csat: 4, ces: 6 },
        attributes: { store: 's-001', region: 'north' },
      }),
    });
    expect(res.status).toBe(201);
  }
  await rt.idle();
  browser = await launchChromium();
});

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
  await page.waitForSelector('[data-metric="nps"] .figure');
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
    await page.context().close();
  });

  it('shows the same NPS, answers and interval as the metrics API for the period chosen, under its own CSP', async () => {
    const page = await signedIn('phone', 'en-US', { username: 'dev', password: 'dev-local' }, false);
    for (const window of ['30d', '7d'] as const) {
      await page.check(`input[name="period"][value="${window}"]`);
      const api = await fetch(`${rt.apiUrl}v1/surveys/demo/metrics?window=${window}`, {
        headers: { authorization: `Bearer ${rt.adminToken}` },
      });
      const { nps } = (await api.json()) as {
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
    expect(await page.locator('[data-metric="nps"] dd').allTextContents()).toEqual(['2', '1', '1']);
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
