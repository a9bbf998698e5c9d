import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '#local/runtime.ts';
import { axeViolations, launchChromium, phone as phoneOf } from './support.ts';

let rt: Runtime;
let browser: Browser;

beforeAll(async () => {
  rt = await startRuntime({
    ports: { api: 0, dynamodb: 0, ses: 0, sns: 0 },
    quiet: true,
    schedules: 'manual',
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const phone = (javaScriptEnabled: boolean, locale = 'en-US', bypassCSP = false): Promise<Page> =>
  phoneOf(browser, { javaScriptEnabled, locale, bypassCSP });

describe('the survey page on a phone', () => {
  it.each([
    { locale: 'es-MX', lang: 'es', thanks: '¡Gracias!', js: false },
    { locale: 'pt-BR', lang: 'pt', thanks: 'Obrigado!', js: false },
    { locale: 'en-GB', lang: 'en', thanks: 'Thank you!', js: true },
  ])('is answered by touch in $lang with JavaScript $js', async ({ locale, lang, thanks, js }) => {
    const page = await phone(js, locale);
    await page.goto(new URL(`s/demo?store=s-e2e-${lang}`, rt.apiUrl).toString());
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    await page.locator('label.opt:has(input[name="nps"][value="9"])').tap();
    await page.locator('label.opt:has(input[name="csat"][value="5"])').tap();
    await page.locator('label.opt:has(input[name="ces"][value="6"])').tap();
    await page.fill('textarea[name="comment"]', 'Muy bien');
    await page.locator('button[type="submit"]').tap();
    await expect.poll(() => page.textContent('h1')).toBe(thanks);
    await page.context().close();
  });

  it('is answered with the keyboard alone', async () => {
    const page = await phone(true);
    await page.goto(new URL('s/demo', rt.apiUrl).toString());
    await page.focus('input[name="nps"][value="0"]');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    expect(await page.isChecked('input[name="nps"][value="8"]')).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    await page.locator('button[type="submit"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('h1')).toBe('Thank you!');
    await page.context().close();
  });

  it('keeps the answers and shows the error next to the field when one is missing (no JavaScript)', async () => {
    const page = await phone(false);
    await page.goto(new URL('s/demo', rt.apiUrl).toString());
    await page.locator('label.opt:has(input[name="nps"][value="3"])').tap();
    await page.fill('textarea[name="comment"]', 'Slow service');
    await page.locator('button[type="submit"]').tap();
    await page.waitForSelector('#err-csat');
    expect(await page.isChecked('input[name="nps"][value="3"]')).toBe(true);
    expect(await page.inputValue('textarea[name="comment"]')).toBe('Slow service');
    expect(await page.getAttribute('#q-csat', 'aria-describedby')).toContain('err-csat');
    await page.context().close();
  });

  it('has no axe-core violations, before and after a validation error', async () => {
    const page = await phone(true, 'es-ES', true);
    await page.goto(new URL('s/demo?lang=es', rt.apiUrl).toString());
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('button[type="submit"]').tap();
    await page.waitForSelector('#err-nps');
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('swaps the comment prompt by NPS band without JavaScript', async () => {
    const page = await phone(false);
    await page.goto(new URL('s/demo', rt.apiUrl).toString());
    await page.locator('label.opt:has(input[name="nps"][value="2"])').tap();
    expect(await page.isVisible('.why .d')).toBe(true);
    expect(await page.isVisible('.why .p')).toBe(false);
    await page.locator('label.opt:has(input[name="nps"][value="10"])').tap();
    expect(await page.isVisible('.why .p')).toBe(true);
    await page.context().close();
  });
});
