import type { ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsyncInvoker, AsyncOutcome } from '#local/async-invoke.ts';
import { ManualClock } from '#local/clock.ts';
import type { Runtime } from '#local/runtime.ts';
import { rateMs, Schedules } from '#local/schedules.ts';
import type { LocalFunction, LocalRule } from '#local/template/index.ts';
import { fixtureTemplate, startFixtureRuntime } from './support.ts';

let rt: Runtime;

beforeAll(async () => {
  rt = await startFixtureRuntime({ template: fixtureTemplate('events-template.json') });
});

afterAll(async () => {
  await rt?.stop();
});

/** Events the Reminders fixture function received, oldest first. */
function reminderEvents(): unknown[] {
  return rt
    .snsMessages()
    .filter((m) => m.subject === 'reminders')
    .map((m) => JSON.parse(m.message) as unknown);
}

describe('local scheduled rules', () => {
  it('invokes the rule target with the EventBridge scheduled event at the given time when runSchedule is called', async () => {
    const fourDaysLater = new Date(Date.now() + 4 * 86_400_000);
    fourDaysLater.setMilliseconds(250);

    await rt.runSchedule('HourlyRule', { time: fourDaysLater });

    const event = reminderEvents().at(-1) as ScheduledEvent;
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: `${fourDaysLater.toISOString().slice(0, 19)}Z`,
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/HourlyRuleE1'],
      detail: {},
    });
  });

  it('runs every rule that targets a function, with a target constant input, when given the function', async () => {
    const before = reminderEvents().length;

    await rt.runSchedule('Reminders', { time: new Date('2030-01-02T09:00:00Z') });

    const events = reminderEvents().slice(before);
    expect(events).toHaveLength(2);
    expect(events).toContainEqual({ digest: 'morning' });
    expect(events).toContainEqual(expect.objectContaining({ time: '2030-01-02T09:00:00Z' }));
  });

  it('rejects after the retries when the target fails every time', async () => {
    await expect(rt.runSchedule('flaky-every-day')).rejects.toThrow(/flaky by design/);

    expect(rt.asyncFailures()).toContainEqual(
      expect.objectContaining({ source: 'schedule:FlakyRule', attempts: 2 }),
    );
  });

  it('rejects naming the known rules when the rule does not exist', async () => {
    await expect(rt.runSchedule('NoSuchRule')).rejects.toThrow(/HourlyRule/);
  });

  it('does not fire the rules by itself in manual mode', async () => {
    const before = reminderEvents().length;

    await rt.idle();

    expect(reminderEvents()).toHaveLength(before);
    expect(rt.rules.map((r) => r.scheduleExpression).sort()).toEqual([
      'cron(0 9 * * ? *)',
      'rate(1 day)',
      'rate(1 hour)',
    ]);
  });
});

describe('Schedules in run mode', () => {
  const rule = (id: string, expression: string, enabled = true): LocalRule => ({
    logicalId: id,
    constructId: id,
    name: id,
    arn: `arn:aws:events:us-east-1:000000000000:rule/${id}`,
    scheduleExpression: expression,
    enabled,
    targets: [{ id: 'Target0', functionId: 'Fn' }],
  });
  const fn = { logicalId: 'Fn', constructId: 'Fn', name: 'Fn' } as LocalFunction;

  it('fires rate rules every period and leaves cron and disabled rules alone', async () => {
    const clock = new ManualClock(Date.parse('2030-01-02T09:00:00.250Z'));
    const calls: { rule: string; time: string }[] = [];
    const invoker = {
      invoke: (_f: LocalFunction, event: ScheduledEvent, source: string): Promise<AsyncOutcome> => {
        calls.push({ rule: source, time: event.time });
        return Promise.resolve({ ok: true, attempts: 1 });
      },
    } as unknown as AsyncInvoker;
    const logs: string[] = [];
    const schedules = new Schedules({
      rules: [
        rule('Hourly', 'rate(1 hour)'),
        rule('Morning', 'cron(0 9 * * ? *)'),
        rule('Off', 'rate(5 minutes)', false),
      ],
      functions: [fn],
      invoker,
      mode: 'run',
      region: 'us-east-1',
      accountId: '000000000000',
      log: (m) => logs.push(m),
      clock,
    });

    schedules.start();
    await clock.advance(3_600_000 - 1);
    const beforeTheHour = calls.length;
    await clock.advance(1);
    await clock.advance(3_600_000);
    schedules.stop();
    await clock.advance(3_600_000);

    expect(beforeTheHour).toBe(0);
    expect(calls).toEqual([
      { rule: 'schedule:Hourly', time: '2030-01-02T10:00:00Z' },
      { rule: 'schedule:Hourly', time: '2030-01-02T11:00:00Z' },
    ]);
    expect(logs.some((l) => l.includes('cron(0 9 * * ? *) is not run locally'))).toBe(true);
  });

  it('sets no timer in manual mode', () => {
    const clock = new ManualClock();
    const schedules = new Schedules({
      rules: [rule('Hourly', 'rate(1 hour)')],
      functions: [fn],
      invoker: {} as AsyncInvoker,
      mode: 'manual',
      region: 'us-east-1',
      accountId: '000000000000',
      clock,
    });

    schedules.start();

    expect(clock.pending()).toBe(0);
  });

  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(2 days)', 172_800_000],
    ['rate(1 minutes)', undefined],
    ['rate(2 hour)', undefined],
    ['rate(0 minutes)', undefined],
    ['cron(0 9 * * ? *)', undefined],
  ])('reads %s as %s ms', (expression, ms) => {
    expect(rateMs(expression)).toBe(ms);
  });
});
