import { describe, expect, it } from 'vitest';
import { ALL } from '#aggregation/rules/aggregation.ts';
import type { DayCounters } from '#aggregation/rules/report.ts';
import { type Survey, surveySchema } from '#kernel/survey.ts';
import {
  type ReportPeriod,
  reportSection,
  reportsDue,
  segmentIn,
  subscribersOf,
} from '#loop/rules/reports.ts';
import type { RoutingTable } from '#loop/rules/routing.ts';
import { type ReportEmail, sendReports } from '#loop/use-cases/send-reports.ts';
import {
  MemoryAggregateStore,
  MemoryCaseStore,
  MemoryMailer,
  MemoryReportLedger,
  MemoryRoutingStore,
  MemorySurveyStore,
} from '../../support/fakes.ts';

const survey = (id: string, segmentKeys: string[], extra: object = {}): Survey =>
  surveySchema.parse({
    id,
    title: { en: id },
    questions: [
      { id: 'nps', type: 'nps', text: { en: 'Recommend?' } },
      { id: 'ces', type: 'ces', scale: 5, direction: 'high-is-hard', text: { en: 'Effort?' } },
    ],
    segmentKeys,
    ...extra,
  });

describe('when reports are due', () => {
  it('sends nothing before the hour, then the daily report of yesterday against the 7 days before', () => {
    expect(reportsDue(new Date('2026-12-03T08:59:59Z'), 9)).toEqual([]);
    expect(reportsDue(new Date('2026-12-03T09:00:00Z'), 9)).toEqual([
      {
        frequency: 'daily',
        period: { from: '2026-12-02', to: '2026-12-02' },
        previous: { from: '2026-11-25', to: '2026-12-01' },
        trend: { from: '2026-11-03', to: '2026-12-02', step: 'day' },
      },
    ]);
  });

  it('adds the weekly report on Mondays and the monthly one on the 1st, of the period that just ended', () => {
    const monday = reportsDue(new Date('2026-12-07T10:00:00Z'), 9);
    expect(monday.map((p) => p.frequency)).toEqual(['daily', 'weekly']);
    expect(monday[1]).toMatchObject({
      period: { from: '2026-11-30', to: '2026-12-06' },
      previous: { from: '2026-11-23', to: '2026-11-29' },
      trend: { from: '2026-09-14', to: '2026-12-06', step: 'week' },
    });
    const first = reportsDue(new Date('2026-12-01T23:00:00Z'), 9);
    expect(first.map((p) => p.frequency)).toEqual(['daily', 'monthly']);
    expect(first[1]).toMatchObject({
      period: { from: '2026-11-01', to: '2026-11-30' },
      previous: { from: '2026-10-01', to: '2026-10-31' },
    });
    // A Monday the 1st, after a 31-day month: all three; March follows a 28-day February.
    const all = reportsDue(new Date('2027-02-01T09:00:00Z'), 9);
    expect(all.map((p) => p.frequency)).toEqual(['daily', 'weekly', 'monthly']);
    expect(all[2]).toMatchObject({
      period: { from: '2027-01-01', to: '2027-01-31' },
      previous: { from: '2026-12-01', to: '2026-12-31' },
    });
    expect(
      reportsDue(new Date('2027-03-01T09:00:00Z'), 0).find((p) => p.frequency === 'monthly'),
    ).toMatchObject({
      period: { from: '2027-02-01', to: '2027-02-28' },
    });
  });
});

describe('who gets a report', () => {
  const table: RoutingTable = {
    routes: [
      {
        segment: 'store:s-1',
        tiers: [
          { role: 'Manager', email: 'Ana@example.com', reports: 'daily', locale: 'pt', name: 'Ana' },
          { role: 'Area', email: 'area@example.com' },
        ],
      },
      { segment: 'store:s-2', tiers: [{ role: 'Manager', email: 'ana@example.com', reports: 'daily' }] },
      { segment: 'store:s-1', tiers: [{ role: 'Again', email: 'ana@example.com', reports: 'daily' }] },
      { segment: '*', tiers: [{ role: 'CX', email: 'ana@example.com', reports: 'monthly' }] },
    ],
  };

  it('makes one subscriber per address and frequency, with each of their places once', () => {
    expect(subscribersOf(table)).toEqual([
      {
        email: 'Ana@example.com',
        name: 'Ana',
        locale: 'pt',
        frequency: 'daily',
        places: ['store:s-1', 'store:s-2'],
      },
      { email: 'ana@example.com', frequency: 'monthly', places: ['*'] },
    ]);
  });

  it("reads a place as the survey's segment: * is the whole survey, a key it does not count is none", () => {
    const s = survey('s', ['store']);
    expect(segmentIn(s, '*')).toBe(ALL);
    expect(segmentIn(s, 'store:s-1')).toEqual({ key: 'store', value: 's-1' });
    expect(segmentIn(s, 'region:north')).toBeUndefined();
  });
});

describe('a report section', () => {
  const period: ReportPeriod = {
    frequency: 'weekly',
    period: { from: '2026-11-30', to: '2026-12-06' },
    previous: { from: '2026-11-23', to: '2026-11-29' },
    trend: { from: '2026-09-14', to: '2026-12-06', step: 'week' },
  };

  it('says a lower effort on a high-is-hard scale is clearly better, and an NPS fall of noise is no clear change', () => {
    const days: DayCounters[] = [
      { day: '2026-11-24', counters: { 'nps#10': 6, 'nps#0': 4, 'ces#5': 20 } },
      { day: '2026-12-01', counters: { 'nps#10': 5, 'nps#0': 5, 'ces#1': 20 } },
    ];
    const section = reportSection({
      survey: survey('s', ['store']),
      place: '*',
      segment: ALL,
      days,
      period,
      cases: [],
      now: new Date('2026-12-07T09:00:00Z'),
    });
    const [nps, ces] = section.headlines;
    expect(nps).toMatchObject({
      type: 'nps',
      n: 10,
      score: 0,
      previous: { n: 10, score: 20 },
      direction: 'same',
    });
    expect(ces).toMatchObject({ type: 'ces', n: 20, score: 1, previous: { score: 5 }, direction: 'better' });
    expect(ces?.change?.value).toBe(-4);
    expect(section.trend?.points.map((p) => [p.day, p.score])).toEqual([
      ['2026-11-23', 20],
      ['2026-11-30', 0],
    ]);
  });
});

describe('sending the reports', () => {
  const setup = () => {
    const routing = new MemoryRoutingStore({
      routes: [
        {
          segment: 'store:s-1',
          tiers: [{ role: 'Manager', email: 'ana@example.com', reports: 'daily', locale: 'es' }],
        },
        {
          segment: 'region:north',
          tiers: [{ role: 'Director', email: 'dir@example.com', reports: 'weekly' }],
        },
      ],
    });
    const surveys = new MemorySurveyStore();
    const aggregates = new MemoryAggregateStore();
    aggregates.items.set('kiosk|store|s-1|2026-12-02', { counters: { 'nps#9': 3 }, watermarks: {} });
    aggregates.items.set('web|store|s-1|2026-12-02', { counters: { 'nps#3': 1 }, watermarks: {} });
    const rendered: ReportEmail[] = [];
    const mailer = new MemoryMailer();
    const deps = {
      routing,
      surveys,
      aggregates,
      cases: new MemoryCaseStore(),
      reports: new MemoryReportLedger(),
      mailer,
      hourUtc: 9,
      render: async (input: ReportEmail) => {
        rendered.push(input);
        return { subject: `report ${input.period.frequency}`, html: '<p>r</p>', text: 'r' };
      },
    };
    return { deps, surveys, mailer, rendered };
  };

  it("sends each owner's report once, with a section per survey that counts the place and has news", async () => {
    const { deps, surveys, mailer, rendered } = setup();
    await surveys.put(survey('kiosk', ['store']));
    await surveys.put(survey('web', ['store']));
    await surveys.put(survey('quiet', ['store']));
    await surveys.put(survey('regions', ['region']));
    const run = await sendReports(deps, new Date('2026-12-03T10:00:00Z'));
    expect(run).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(mailer.sent.map((m) => m.to)).toEqual(['ana@example.com']);
    expect(rendered[0]?.locale).toBe('es');
    expect(rendered[0]?.sections.map((s) => s.survey.id)).toEqual(['kiosk', 'web']);
    expect(await sendReports(deps, new Date('2026-12-03T11:00:00Z'))).toEqual({
      sent: 0,
      skipped: 1,
      failed: 0,
    });
    expect(mailer.sent).toHaveLength(1);
  });

  it('gives a failed send its claim back, so the next run sends it', async () => {
    const { deps, surveys, mailer } = setup();
    await surveys.put(survey('kiosk', ['store']));
    let fail = true;
    const flaky = {
      send: async (m: Parameters<MemoryMailer['send']>[0]) => {
        if (fail) throw new Error('SES is down');
        await mailer.send(m);
      },
    };
    await expect(sendReports({ ...deps, mailer: flaky }, new Date('2026-12-03T10:00:00Z'))).rejects.toThrow(
      'SES is down',
    );
    fail = false;
    expect(await sendReports({ ...deps, mailer: flaky }, new Date('2026-12-03T11:00:00Z'))).toEqual({
      sent: 1,
      skipped: 0,
      failed: 0,
    });
    expect(mailer.sent).toHaveLength(1);
  });
});
