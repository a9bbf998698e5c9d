import { describe, expect, it } from 'vitest';
import { ManualClock, sleep } from '#local/clock.ts';

describe('ManualClock', () => {
  it('runs due timers in time order, each at its own time, when it advances', async () => {
    const clock = new ManualClock(1_000);
    const seen: [string, number][] = [];
    clock.timeout(() => seen.push(['late', clock.now()]), 300);
    clock.timeout(() => seen.push(['early', clock.now()]), 100);
    clock.timeout(() => seen.push(['beyond', clock.now()]), 301);

    await clock.advance(300);

    expect(seen).toEqual([
      ['early', 1_100],
      ['late', 1_300],
    ]);
    expect(clock.now()).toBe(1_300);
    expect(clock.pending()).toBe(1);
  });

  it('repeats an interval every period until cancelled', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const cancel = clock.interval(() => fired.push(clock.now()), 60_000);

    await clock.advance(180_000);
    cancel();
    await clock.advance(60_000);

    expect(fired).toEqual([60_000, 120_000, 180_000]);
    expect(clock.pending()).toBe(0);
  });

  it('lets a sleep that a timer ends start the next one within the same advance', async () => {
    const clock = new ManualClock(0);
    const woke: number[] = [];
    const run = (async () => {
      await sleep(1_000, undefined, clock);
      woke.push(clock.now());
      await sleep(1_000, undefined, clock);
      woke.push(clock.now());
    })();

    await clock.advance(2_000);
    await run;

    expect(woke).toEqual([1_000, 2_000]);
  });

  it('answers waitForTimers once a timer is set', async () => {
    const clock = new ManualClock(0);
    let waited = false;
    const waiting = clock.waitForTimers().then(() => {
      waited = true;
    });

    await Promise.resolve();
    const before = waited;
    clock.timeout(() => undefined, 10);
    await waiting;

    expect(before).toBe(false);
    expect(waited).toBe(true);
  });
});
