import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { startRuntime } from '#local/runtime.ts';
import { launchChromium } from '../test/e2e/support.ts';
import { buildWeb, WEB_DIST } from '../web/build.ts';
import { percentile } from './support.ts';

/** What the bench's in-page probe keeps on the page's global object (the app's own code never reads it). */
interface BenchWindow {
  __first: number;
  __timed: { started: number; shown: number };
  document: {
    addEventListener(type: string, fn: () => void, opts: object): void;
    querySelector(selector: string): unknown;
    body: unknown;
  };
  MutationObserver: new (
    fn: (records: unknown, observer: { disconnect(): void }) => void,
  ) => {
    observe(target: unknown, opts: object): void;
  };
}

/**
 * Milliseconds from the first `event` after `act` starts until `selector` is in the page, measured by the page
 * itself (Playwright's polling runs throttled too, and would add its delays).
 */
async function timedInPage(page: Page, event: string, selector: string, act: () => Promise<unknown>) {
  await page.evaluate(
    ([type, wanted]) => {
      const w = globalThis as unknown as BenchWindow;
      w.__timed = { started: 0, shown: 0 };
      w.document.addEventListener(
        type,
        () => {
          w.__timed.started = performance.now();
        },
        { capture: true, once: true },
      );
      new w.MutationObserver((_, observer) => {
        if (w.__timed.started && w.document.querySelector(wanted) && !w.__timed.shown) {
          w.__timed.shown = performance.now();
          observer.disconnect();
        }
      }).observe(w.document.body, { childList: true, subtree: true, attributes: true });
    },
    [event, selector] as const,
  );
  await act();
  await page.waitForFunction(() => (globalThis as unknown as BenchWindow).__timed.shown > 0);
  return page.evaluate(() => {
    const { started, shown } = (globalThis as unknown as BenchWindow).__timed;
    return shown - started;
  });
}

export interface WebAppFigures {
  /** The first screen's JavaScript and CSS, gzipped (what CloudFront sends). */
  readonly gzipBytes: number;
  readonly samples: number;
  /** From navigation start until the overview shows its NPS, signed in, at 4x CPU throttling. */
  readonly firstFiguresP50Ms: number;
  readonly firstFiguresP95Ms: number;
  /** From choosing another period until the overview shows its figures, at 4x CPU throttling. */
  readonly switchP50Ms: number;
  readonly switchP95Ms: number;
  /** From clicking a region in the Segments screen until its cities' league table is on screen. */
  readonly segmentSwitchP50Ms: number;
  readonly segmentSwitchP95Ms: number;
}

/**
 * The web app's speed as a phone sees it: Debian's Chromium with 4x CPU throttling (Chrome DevTools Protocol),
 * a phone viewport, against `npm start`'s runtime with some answers in it. Signed in once; every sample reloads
 * the overview (the session stays in the tab) and times it from navigation start until the NPS figure is on
 * screen, then switches the period and times the figures' update; then, as many times, opens the Segments screen
 * and times a drill-down from a region to its cities.
 */
export async function measureWebApp(samples: number): Promise<WebAppFigures> {
  await buildWeb();
  const gzipBytes = ['main.js', 'main.css']
    .map((f) => gzipSync(readFileSync(join(WEB_DIST, f)), { level: 9 }).length)
    .reduce((a, b) => a + b, 0);
  const rt = await startRuntime({
    ports: { api: 0, dynamodb: 0, ses: 0, sns: 0, sqs: 0 },
    quiet: true,
    schedules: 'manual',
  });
  const browser = await launchChromium();
  try {
    for (let i = 0; i < 40; i++) {
      await fetch(`${rt.apiUrl}v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          surveyId: 'demo',
          submissionId: `bench-web-${i}`,
          answers: { nps: i % 11, csat: 1 + (i % 5), ces: 1 + (i % 7) },
          attributes: { store: `s-${i % 4}`, city: i % 4 < 2 ? 'lima' : 'cusco', region: 'north' },
        }),
      });
    }
    await rt.idle();
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'en-US',
    });
    const page = await context.newPage();
    const person = rt.people.find((p) => p.role === 'viewer') ?? rt.people[0];
    if (!person) throw new Error('The runtime has no demo people');
    await page.goto(rt.appUrl);
    await page.waitForURL((url) => url.href.startsWith(rt.oidc.issuer));
    await page.fill('#username', person.username);
    await page.fill('#password', person.password);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-metric="nps"] .figure');
    // From navigation start until the NPS figure is in the page, recorded by the page itself (Playwright's own
    // polling runs throttled too, and would add its delays).
    await page.addInitScript(() => {
      const w = globalThis as unknown as BenchWindow;
      w.__first = 0;
      new w.MutationObserver((_, observer) => {
        if (w.document.querySelector('[data-metric="nps"] .figure')) {
          w.__first = performance.now();
          observer.disconnect();
        }
      }).observe(w.document, { childList: true, subtree: true });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

    const first: number[] = [];
    const switches: number[] = [];
    for (let i = 0; i < samples; i++) {
      await page.reload();
      await page.waitForSelector('[data-metric="nps"] .figure');
      await page.waitForFunction(() => (globalThis as unknown as BenchWindow).__first > 0);
      first.push(await page.evaluate(() => (globalThis as unknown as BenchWindow).__first));
      // Another period: from the radio button's change until the new figures are on screen.
      const answered = page.waitForResponse((r) => r.url().includes('/metrics?window=30d'));
      switches.push(
        await timedInPage(
          page,
          'change',
          '.cards[data-window="30d"] [data-metric="nps"] .figure',
          async () => {
            await page.check('input[name="period"][value="30d"]');
            await answered;
          },
        ),
      );
    }
    const drills: number[] = [];
    for (let i = 0; i < samples; i++) {
      await page.goto(`${rt.appUrl}segments?window=7d`);
      await page.waitForSelector('[data-key="region"] [data-segment="region:north"] a');
      // A segment switch: from the click on the region until its cities' table is on screen.
      drills.push(
        await timedInPage(page, 'click', '[data-key="city"][data-parent="region:north"] tbody tr', () =>
          page.click('[data-segment="region:north"] a'),
        ),
      );
    }
    return {
      gzipBytes,
      samples,
      firstFiguresP50Ms: percentile(first, 50),
      firstFiguresP95Ms: percentile(first, 95),
      switchP50Ms: percentile(switches, 50),
      switchP95Ms: percentile(switches, 95),
      segmentSwitchP50Ms: percentile(drills, 50),
      segmentSwitchP95Ms: percentile(drills, 95),
    };
  } finally {
    await browser.close();
    await rt.stop();
  }
}
