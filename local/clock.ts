/**
 * Time as the local runtime emulates it: visibility timeouts, delays, retention, deduplication windows, batching
 * windows, retry pauses, SES event delays and schedules all read it. The system clock by default; a test passes a
 * ManualClock and advances it instead of sleeping.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fn` once `ms` have passed on this clock; answers a function that cancels it. */
  timeout(fn: () => void, ms: number): () => void;
  /** Calls `fn` every `ms` on this clock until cancelled; never keeps the process alive on its own. */
  interval(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  timeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
  interval(fn, ms) {
    const timer = setInterval(fn, ms).unref();
    return () => clearInterval(timer);
  },
};

/** Waits `ms` on `clock`, or less when `signal` aborts (pollers stop without waiting out their pause). */
export function sleep(ms: number, signal?: AbortSignal, clock: Clock = systemClock): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const cancel = clock.timeout(done, ms);
    function done() {
      cancel();
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

interface ManualTimer {
  at: number;
  readonly order: number;
  readonly fn: () => void;
  readonly every?: number;
}

/**
 * A clock that moves only when told: advance() runs each timer that falls due, in time order, at its own time,
 * and lets the work it starts settle before the next one.
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: ManualTimer[] = [];
  private added = 0;
  private readonly watchers = new Set<() => void>();

  constructor(start: number = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  timeout(fn: () => void, ms: number): () => void {
    return this.add({ at: this.current + Math.max(0, ms), order: this.added++, fn });
  }

  interval(fn: () => void, ms: number): () => void {
    const every = Math.max(1, ms);
    return this.add({ at: this.current + every, order: this.added++, fn, every });
  }

  /** Timers waiting to fall due. */
  pending(): number {
    return this.timers.length;
  }

  /** Resolves once at least `count` timers wait, e.g. when a long poll sent over HTTP has reached the engine. */
  async waitForTimers(count = 1): Promise<void> {
    while (this.timers.length < count) {
      await new Promise<void>((resolve) => {
        this.watchers.add(resolve);
      });
    }
  }

  /** Moves time forward by `ms`, running the timers that fall due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const next = this.timers
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      if (next.every) next.at += next.every;
      else this.timers = this.timers.filter((t) => t !== next);
      next.fn();
    }
    this.current = target;
    await settle();
  }

  private add(timer: ManualTimer): () => void {
    this.timers.push(timer);
    for (const wake of [...this.watchers]) {
      this.watchers.delete(wake);
      wake();
    }
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
}

/** Lets promise callbacks and I/O callbacks that are already due run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
