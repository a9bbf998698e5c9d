import { describe, expect, it } from 'vitest';
import type { AggregateStore } from '#aggregation/ports.ts';
import type { Segment } from '#aggregation/rules/aggregation.ts';
import type { DayCounters } from '#aggregation/rules/report.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import type { ThresholdStateStore } from '#loop/ports.ts';
import { type Condition, checkThreshold, watchedSegments } from '#loop/rules/thresholds.ts';
import { checkThresholds } from '#loop/use-cases/check-thresholds.ts';
import { renderThresholdEmail } from '#views/threshold-email.ts';
import { MemoryMailer, MemoryNotifier, MemoryRoutingStore } from '../../support/fakes.ts';

const survey = surveySchema.parse({
  ...demoSurvey,
  thresholds: [
    { id: 'store-nps', questionId: 'nps', segmentKey: 'store', below: 30, dropBy: 20, minResponses: 30 },
  ],
});
const rule = survey.thresholds[0] as (typeof survey.thresholds)[number];
const today = new Date('2026-11-22T15:00:00Z');
const store: Segment = { key: 'store', value: 's-001' };
/** NPS answers on a day: promoters (10), passives (8), detractors (2). */
const day = (d: string, p: number, pa: number, det: number): DayCounters => ({
  day: d,
  counters: { 'nps#10': p, 'nps#8': pa, 'nps#2': det },
});

describe('threshold checks', () => {
  it('does not fire on 5 bad answers, however bad', () => {
    const check = checkThreshold(rule, survey, store, [day('2026-11-22', 0, 0, 5)], today);
    expect(check).toMatchObject({ n: 5, score: -100, met: [] });
  });

  it('fires on a significant sample whose whole interval is below the target', () => {
    const check = checkThreshold(rule, survey, store, [day('2026-11-20', 5, 10, 25)], today);
    expect(check?.n).toBe(40);
    expect(check?.ci95?.high).toBeLessThan(30);
    expect(check?.met).toEqual(['below']);
  });

  it('does not fire when the interval still reaches the target', () => {
    // NPS 20 on 40 answers: the interval reaches well above 30.
    const check = checkThreshold(rule, survey, store, [day('2026-11-20', 16, 16, 8)], today);
    expect(check?.score).toBe(20);
    expect(check?.met).toEqual([]);
  });

  it('detects a significant drop against the window before', () => {
    const days = [day('2026-11-10', 30, 8, 2), day('2026-11-20', 14, 10, 16)];
    const check = checkThreshold({ ...rule, below: undefined }, survey, store, days, today);
    expect(check?.previous).toEqual({ n: 40, score: 70 });
    expect(check?.score).toBe(-5);
    expect(check?.met).toEqual(['drop']);
  });

  it('watches the segments its rules name', () => {
    expect(watchedSegments(survey, { store: 's-001', region: 'south' })).toEqual([store]);
    expect(watchedSegments(survey, { region: 'south' })).toEqual([]);
  });
});

class Days implements Pick<AggregateStore, 'readDays'> {
  constructor(public days: DayCounters[]) {}
  async readDays() {
    return this.days;
  }
}

class States implements ThresholdStateStore {
  readonly items = new Map<string, 'firing' | 'ok'>();
  private key = (r: string, s: Segment, c: Condition) => `${r}|${s.key}|${s.value}|${c}`;
  async fire(_: string, r: string, s: Segment, c: Condition) {
    if (this.items.get(this.key(r, s, c)) === 'firing') return false;
    this.items.set(this.key(r, s, c), 'firing');
    return true;
  }
  async recover(_: string, r: string, s: Segment, c: Condition) {
    if (this.items.get(this.key(r, s, c)) !== 'firing') return false;
    this.items.set(this.key(r, s, c), 'ok');
    return true;
  }
}

describe('threshold alerts', () => {
  it('alert once per condition until the figure recovers, then once more on recovery', async () => {
    const aggregates = new Days([day('2026-11-20', 5, 10, 25)]);
    const notifier = new MemoryNotifier();
    const deps = { aggregates: aggregates as unknown as AggregateStore, states: new States(), notifier };
    expect((await checkThresholds(deps, survey, store, today)).map((e) => e.kind)).toEqual(['fired']);
    expect(await checkThresholds(deps, survey, store, today)).toEqual([]);
    expect(notifier.published[0]).toMatchObject({
      subject: expect.stringContaining('below 30'),
      attributes: { event: 'threshold', rule: 'store-nps', condition: 'below', 'segment.store': 's-001' },
    });
    aggregates.days = [day('2026-11-21', 30, 5, 5)];
    expect((await checkThresholds(deps, survey, store, today)).map((e) => e.kind)).toEqual(['recovered']);
    expect(notifier.published.map((m) => m.attributes.event)).toEqual(['threshold', 'threshold-recovered']);
  });
});

describe('threshold alert emails', () => {
  const routing = {
    routes: [
      {
        segment: 'store:s-001',
        tiers: [{ role: 'Store manager', email: 'gerente@example.com', locale: 'es' as const }],
      },
    ],
  };
  const setup = (table = routing) => {
    const notifier = new MemoryNotifier();
    const mailer = new MemoryMailer();
    const deps = {
      aggregates: new Days([day('2026-11-20', 5, 10, 25)]) as unknown as AggregateStore,
      states: new States(),
      notifier,
      email: { mailer, routing: new MemoryRoutingStore(table), render: renderThresholdEmail },
    };
    return { deps, notifier, mailer };
  };

  it("email the first tier of the segment's route in their language, and name them on the SNS message", async () => {
    const { deps, notifier, mailer } = setup();
    await checkThresholds(deps, survey, store, today);
    expect(notifier.published[0]?.attributes.ownerEmail).toBe('gerente@example.com');
    expect(mailer.sent).toHaveLength(1);
    const mail = mailer.sent[0];
    expect(mail).toMatchObject({
      to: 'gerente@example.com',
      subject: 'NPS por debajo del objetivo: store s-001',
    });
    expect(mail?.html).toContain('<html lang="es"');
    expect(mail?.text).toContain('Respuestas: 40');
    expect(mail?.text).toContain('Objetivo: 30');
    expect(mail?.text).toContain('últimos 7 días');
  });

  it("fall back to the survey's owner when no route matches, and say when the figure recovers", async () => {
    const { deps, mailer } = setup({ routes: [] });
    await checkThresholds(deps, survey, store, today);
    (deps.aggregates as unknown as Days).days = [day('2026-11-21', 30, 5, 5)];
    await checkThresholds(deps, survey, store, today);
    expect(mailer.sent.map((m) => [m.to, m.subject])).toEqual([
      ['cx-team@example.com', 'NPS below target: store s-001'],
      ['cx-team@example.com', 'NPS recovered: store s-001'],
    ]);
  });

  it('keep a survey title and segment value inert', () => {
    const mail = renderThresholdEmail({
      locale: 'en',
      surveyTitle: '<script>alert(1)</script>',
      questionId: 'nps',
      questionType: 'nps',
      rule,
      kind: 'fired',
      condition: 'drop',
      check: {
        ruleId: rule.id,
        segment: { key: 'store', value: '<b>s</b>\r\nBcc: x@example.com' },
        n: 40,
        score: -5,
        ci95: { low: -30, high: 20 },
        previous: { n: 40, score: 70 },
        met: ['drop'],
        recovered: [],
      },
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>s</b>');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain('The window before: 70 (n = 40)');
  });
});
