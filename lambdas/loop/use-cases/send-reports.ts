import type { AggregateStore } from '#aggregation/ports.ts';
import type { Segment } from '#aggregation/rules/aggregation.ts';
import type { DayCounters } from '#aggregation/rules/report.ts';
import type { Mail, Mailer, SurveyStore } from '#kernel/ports.ts';
import type { Locale, Survey } from '#kernel/survey.ts';
import type { CaseStore, ReportLedger, RoutingStore } from '../ports.ts';
import type { Case } from '../rules/case.ts';
import {
  casesSince,
  daysToRead,
  hasNews,
  MAX_REPORT_SECTIONS,
  type ReportPeriod,
  type ReportSection,
  type ReportSubscriber,
  reportSection,
  reportsDue,
  segmentIn,
  subscribersOf,
} from '../rules/reports.ts';

export interface ReportEmail {
  readonly locale: Locale;
  readonly subscriber: ReportSubscriber;
  readonly period: ReportPeriod;
  readonly sections: readonly ReportSection[];
  readonly more: number;
}

export interface ReportDeps {
  readonly routing: RoutingStore;
  readonly surveys: SurveyStore;
  readonly aggregates: AggregateStore;
  readonly cases: CaseStore;
  readonly reports: ReportLedger;
  readonly mailer: Mailer;
  /** The email in the subscriber's language, with its charts (views/report-email.ts). */
  readonly render: (input: ReportEmail) => Promise<Omit<Mail, 'to'>>;
  /** The hour (UTC) from which the day's reports go out. */
  readonly hourUtc: number;
}

export interface ReportRun {
  readonly sent: number;
  /** Already sent by an earlier run. */
  readonly skipped: number;
  readonly failed: number;
}

/**
 * Sends the reports due at `now` (run hourly: each goes out at the first run from its hour on, once): for each
 * owner who asked for one, the places they own in every survey that counts them, with what happened there in the
 * period. A report whose send fails is claimed again by the next run.
 */
export async function sendReports(deps: ReportDeps, now: Date): Promise<ReportRun> {
  const due = reportsDue(now, deps.hourUtc);
  const run = { sent: 0, skipped: 0, failed: 0 };
  if (due.length === 0) return run;
  const subscribers = subscribersOf(await deps.routing.get()).filter((s) =>
    due.some((p) => p.frequency === s.frequency),
  );
  if (subscribers.length === 0) return run;
  const surveys = await deps.surveys.list();
  const reader = readerOf(deps, now);
  for (const subscriber of subscribers) {
    const period = due.find((p) => p.frequency === subscriber.frequency);
    if (!period) continue;
    if (!(await deps.reports.claim(subscriber.email, period.frequency, period.period.to, now))) {
      run.skipped++;
      continue;
    }
    try {
      const sections: ReportSection[] = [];
      for (const survey of surveys)
        for (const place of subscriber.places) {
          const segment = segmentIn(survey, place);
          if (!segment) continue;
          const section = reportSection({
            survey,
            place,
            segment,
            period,
            days: await reader.days(survey, segment, period),
            cases: await reader.cases(survey),
            now,
          });
          if (hasNews(section)) sections.push(section);
        }
      const locale = subscriber.locale ?? surveys[0]?.defaultLocale ?? 'en';
      const mail = await deps.render({
        locale,
        subscriber,
        period,
        sections: sections.slice(0, MAX_REPORT_SECTIONS),
        more: Math.max(0, sections.length - MAX_REPORT_SECTIONS),
      });
      await deps.mailer.send({ ...mail, to: subscriber.email });
      run.sent++;
    } catch (err) {
      // The claim goes back, so the next hourly run sends it; the error is the run's to log.
      await deps.reports.release(subscriber.email, period.frequency, period.period.to);
      run.failed++;
      if (run.failed === subscribers.length) throw err;
    }
  }
  return run;
}

/** Reads each survey's recent cases and each place's days once per run, however many owners share them. */
function readerOf(deps: ReportDeps, now: Date) {
  const reads = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let pending = reads.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = read();
      reads.set(key, pending);
    }
    return pending;
  };
  return {
    cases: (survey: Survey): Promise<Case[]> =>
      once(`cases|${survey.id}`, () => deps.cases.openedSince(casesSince(now), survey.id)),
    days: (survey: Survey, segment: Segment, period: ReportPeriod): Promise<DayCounters[]> => {
      const { from, to } = daysToRead(period);
      return once(`days|${survey.id}|${segment.key}:${segment.value}|${from}|${to}`, () =>
        deps.aggregates.readDays(survey.id, segment, from, to),
      );
    },
  };
}
