import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import type { AsyncInvoker, AsyncOutcome } from './async-invoke.ts';
import { type Clock, systemClock } from './clock.ts';
import type { LocalFunction, LocalRule } from './template/index.ts';

export type ScheduleMode = 'run' | 'manual';

export interface SchedulesOptions {
  readonly rules: readonly LocalRule[];
  readonly functions: readonly LocalFunction[];
  readonly invoker: AsyncInvoker;
  /** `run` fires rate rules on their schedule; `manual` only through run(). */
  readonly mode: ScheduleMode;
  readonly region: string;
  readonly accountId: string;
  readonly log?: (message: string) => void;
  /** When rate rules fire, and the time of their events. @default the system clock */
  readonly clock?: Clock;
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Milliseconds between runs of a `rate(...)` expression; undefined for cron or anything else. */
export function rateMs(expression: string): number | undefined {
  const match = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = (match[2] ?? '').replace(/s$/, '');
  // EventBridge wants the singular for 1 and the plural otherwise.
  if (value < 1 || (value === 1) !== (match[2] === unit)) return undefined;
  return value * (UNIT_MS[unit] ?? 0);
}

/** The event EventBridge sends a target of a scheduled rule. */
export function scheduledEvent(
  rule: LocalRule,
  time: Date,
  region: string,
  accountId: string,
): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    // EventBridge gives the time to the second.
    time: `${time.toISOString().slice(0, 19)}Z`,
    region,
    resources: [rule.arn],
    detail: {},
  };
}

/**
 * Scheduled EventBridge rules: each rate rule invokes its Lambda targets asynchronously on its schedule (mode
 * `run`), and run() invokes them now with any `time` (tests drive time that way). Cron rules run only through
 * run().
 */
export class Schedules {
  /** Cancel the rate rules' timers. */
  private readonly cancels: (() => void)[] = [];
  private readonly clock: Clock;

  constructor(private readonly opts: SchedulesOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  start(): void {
    if (this.opts.mode !== 'run') return;
    for (const rule of this.opts.rules) {
      if (!rule.enabled || rule.targets.length === 0) continue;
      const every = rateMs(rule.scheduleExpression);
      if (every === undefined) {
        this.opts.log?.(
          `rule ${rule.constructId}: ${rule.scheduleExpression} is not run locally (only rate expressions are); ` +
            'run it with runSchedule()',
        );
        continue;
      }
      this.cancels.push(
        this.clock.interval(() => {
          void this.fire(
            rule,
            new Date(this.clock.now()),
            rule.targets.map((t) => t.functionId),
          );
        }, every),
      );
      this.opts.log?.(`rule ${rule.constructId}: ${rule.scheduleExpression}`);
    }
  }

  /**
   * Invokes the targets of a rule (logical id, construct id or name) now, or the rules that target a function
   * (logical id, construct id or name), as of `time`; resolves when every invocation ended, retries included,
   * and rejects when one failed every try.
   */
  async run(id: string, opts: { time?: Date } = {}): Promise<void> {
    const time = opts.time ?? new Date(this.clock.now());
    const rule = this.opts.rules.find((r) => r.logicalId === id || r.constructId === id || r.name === id);
    const outcomes: AsyncOutcome[] = [];
    if (rule) {
      outcomes.push(
        ...(await this.fire(
          rule,
          time,
          rule.targets.map((t) => t.functionId),
        )),
      );
    } else {
      const fn =
        this.opts.functions.find((f) => f.logicalId === id) ??
        this.opts.functions.find((f) => f.constructId === id) ??
        this.opts.functions.find((f) => f.name === id);
      const rules = fn
        ? this.opts.rules.filter((r) => r.targets.some((t) => t.functionId === fn.logicalId))
        : [];
      if (!fn || rules.length === 0) {
        const known = this.opts.rules.map((r) => r.constructId).join(', ') || 'none';
        throw new Error(`No scheduled rule or rule target ${id} (rules: ${known})`);
      }
      for (const r of rules) outcomes.push(...(await this.fire(r, time, [fn.logicalId])));
    }
    const failed = outcomes.find((o) => !o.ok);
    if (failed && !failed.ok) {
      throw new Error(
        `${failed.failure.functionName} failed ${failed.failure.attempts} time(s): ${failed.failure.errorType}: ${failed.failure.errorMessage}`,
      );
    }
  }

  stop(): void {
    for (const cancel of this.cancels.splice(0)) cancel();
  }

  private fire(rule: LocalRule, time: Date, functionIds: readonly string[]): Promise<AsyncOutcome[]> {
    const event = scheduledEvent(rule, time, this.opts.region, this.opts.accountId);
    const runs: Promise<AsyncOutcome>[] = [];
    for (const target of rule.targets) {
      if (!functionIds.includes(target.functionId)) continue;
      const fn = this.opts.functions.find((f) => f.logicalId === target.functionId);
      if (!fn) {
        this.opts.log?.(`rule ${rule.constructId}: function ${target.functionId} does not run locally`);
        continue;
      }
      const payload = target.input === undefined ? event : (JSON.parse(target.input) as unknown);
      runs.push(this.opts.invoker.invoke(fn, payload, `schedule:${rule.constructId}`));
    }
    return Promise.all(runs);
  }
}
