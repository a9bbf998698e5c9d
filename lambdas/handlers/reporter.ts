import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SESClient } from '@aws-sdk/client-ses';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { requireEnv, tableAdapters } from '#adapters/runtime.ts';
import { SesImageMailer } from '#adapters/ses-raw-mailer.ts';
import { logger } from '#http/logger.ts';
import { DEFAULT_REPORT_HOUR_UTC } from '#loop/rules/reports.ts';
import { sendReports } from '#loop/use-cases/send-reports.ts';
import { renderReportEmail } from '#views/report-email.ts';

const { routing, surveys, aggregates, cases, reports } = tableAdapters();
const appUrl = requireEnv('APP_URL');
const deps = {
  routing,
  surveys,
  aggregates,
  cases,
  reports,
  mailer: new SesImageMailer(new SESClient({}), requireEnv('MAIL_FROM')),
  render: (input: Omit<Parameters<typeof renderReportEmail>[0], 'appUrl'>) =>
    renderReportEmail({ ...input, appUrl }),
  hourUtc: Number(process.env.REPORT_HOUR_UTC ?? DEFAULT_REPORT_HOUR_UTC),
};

/**
 * Scheduled reports (hourly): from the report hour on, each owner who asked for a daily, weekly or monthly report
 * gets it once for the period that ended. "Now" is the scheduled event's time, so tests choose the day and hour.
 */
export const handler = middy<ScheduledEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const now = event.time ? new Date(event.time) : new Date();
    const run = await sendReports(deps, now);
    logger.info('Scheduled reports', { ...run, asOf: now.toISOString() });
    return run;
  });
