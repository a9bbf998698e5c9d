import type { AggregateStore, SegmentCatalogue } from '#aggregation/ports.ts';
import { ALL } from '#aggregation/rules/aggregation.ts';
import { parseSegment } from '#aggregation/rules/report.ts';
import { pathFinder } from '#aggregation/rules/segments.ts';
import { checkVisible } from '#aggregation/use-cases/read-segments.ts';
import { loadSurvey } from '#capture/use-cases/record-response.ts';
import { NotFoundError } from '#kernel/errors.ts';
import { randomId } from '#kernel/ids.ts';
import type { Clock, SurveyStore } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';
import {
  parsePlace,
  placeText,
  SEES_ALL,
  seesAttributes,
  sees as seesPath,
  type Visibility,
} from '#kernel/visibility.ts';
import type { ExportFiles, ExportQueue, ExportStore, ResponseScan } from '../ports.ts';
import {
  aggregateTable,
  type Cell,
  DOWNLOAD_LINK_SECONDS,
  type ExportJob,
  type ExportRequest,
  type ExportView,
  exportFileName,
  inPeriod,
  objectKeyOf,
  responseTable,
  statusOf,
} from '../rules/exports.ts';
import { type Period, periodOf } from '../rules/responses.ts';

export interface RequestExportDeps {
  readonly surveys: SurveyStore;
  readonly exports: ExportStore;
  readonly queue: ExportQueue;
  readonly catalogue: SegmentCatalogue;
  readonly clock: Clock;
}

/** Someone who sees only some places reads only the exports they asked for (each holds their places' rows). */
const sees = (job: ExportJob, caller: { actor: string; visibility: Visibility }) =>
  caller.visibility.all || job.requestedBy === caller.actor;

/**
 * Asks for an export: checks the survey and the period, stores the job and hands it to the exporter. A job the
 * queue did not take is marked failed at once, so nobody waits for it.
 */
export async function requestExport(
  deps: RequestExportDeps,
  input: {
    readonly surveyId: string;
    readonly actor: string;
    readonly request: ExportRequest;
    readonly visibility?: Visibility;
  },
): Promise<ExportView> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const now = deps.clock.now();
  const period = periodOf(survey, input.request, now);
  const visibility = input.visibility ?? SEES_ALL;
  await checkVisible(deps, survey.id, period.segment, visibility);
  const job: ExportJob = {
    exportId: `exp_${randomId(16)}`,
    surveyId: survey.id,
    kind: input.request.kind,
    from: period.from,
    to: period.to,
    segment: `${period.segment.key}:${period.segment.value}`,
    ...(visibility.all ? {} : { places: visibility.places.map(placeText) }),
    requestedBy: input.actor,
    requestedAt: now.toISOString(),
    status: 'running',
  };
  await deps.exports.create(job);
  try {
    await deps.queue.enqueue(job.exportId);
  } catch (err) {
    await deps.exports.finish(job.exportId, {
      status: 'failed',
      finishedAt: deps.clock.now().toISOString(),
      failure: 'The export could not be started. Ask for it again.',
    });
    throw err;
  }
  return viewOf(job, now);
}

export interface ReadExportDeps {
  readonly exports: ExportStore;
  readonly files: ExportFiles;
  readonly clock: Clock;
}

/** An export, with a fresh download link when its file is ready. */
export async function readExport(
  deps: ReadExportDeps,
  exportId: string,
  caller: { actor: string; visibility: Visibility } = { actor: '', visibility: SEES_ALL },
): Promise<ExportView> {
  const job = await deps.exports.get(exportId);
  if (!job || !sees(job, caller)) throw new NotFoundError(`There is no export "${exportId}".`);
  const now = deps.clock.now();
  const view = viewOf(job, now);
  if (view.status !== 'ready' || !job.objectKey) return view;
  const url = await deps.files.downloadLink(job.objectKey, view.fileName, DOWNLOAD_LINK_SECONDS);
  return {
    ...view,
    download: { url, expiresAt: new Date(now.getTime() + DOWNLOAD_LINK_SECONDS * 1000).toISOString() },
  };
}

/** A survey's exports, newest first (links are fetched one by one, through readExport). */
export async function listExports(
  deps: { readonly surveys: SurveyStore; readonly exports: ExportStore; readonly clock: Clock },
  input: { readonly surveyId: string; readonly limit: number },
  caller: { actor: string; visibility: Visibility } = { actor: '', visibility: SEES_ALL },
): Promise<{ readonly items: readonly ExportView[] }> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const now = deps.clock.now();
  const jobs = await deps.exports.listOf(survey.id, input.limit);
  return { items: jobs.filter((job) => sees(job, caller)).map((job) => viewOf(job, now)) };
}

function viewOf(job: ExportJob, now: Date): ExportView {
  const { objectKey: _, ...rest } = job;
  return { ...rest, ...statusOf(job, now), fileName: exportFileName(job) };
}

export interface RunExportDeps {
  readonly surveys: SurveyStore;
  readonly exports: ExportStore;
  readonly responses: ResponseScan;
  readonly segmentValues: SegmentCatalogue;
  readonly aggregates: AggregateStore;
  readonly files: ExportFiles;
  readonly clock: Clock;
  /** Segment values read at once for an aggregates export. @default 8 */
  readonly concurrency?: number;
}

export type RunExportOutcome =
  | { readonly outcome: 'ready'; readonly rows: number; readonly bytes: number }
  | { readonly outcome: 'failed'; readonly error: unknown }
  | { readonly outcome: 'skipped' };

/**
 * Runs a job: streams its rows into a CSV file and marks it ready, or failed (the person asks again). A job that
 * has already ended (a repeated delivery) is left as it is.
 */
export async function runExport(deps: RunExportDeps, job: ExportJob): Promise<RunExportOutcome> {
  if (job.status !== 'running') return { outcome: 'skipped' };
  try {
    const survey = await loadSurvey(deps.surveys, job.surveyId);
    const period: Period = { from: job.from, to: job.to, segment: parseSegment(job.segment) };
    const fileName = exportFileName(job);
    const objectKey = objectKeyOf(job, fileName);
    let rows = 0;
    const counted = async function* (source: AsyncIterable<Cell[]>) {
      for await (const row of source) {
        rows += 1;
        yield row;
      }
    };
    const visibility: Visibility = job.places ? { all: false, places: job.places.map(parsePlace) } : SEES_ALL;
    const { header, source } =
      job.kind === 'responses'
        ? responseRows(deps, survey, period, visibility)
        : aggregateRows(deps, survey, period, visibility);
    const { bytes } = await deps.files.writeCsv(objectKey, { fileName, header, rows: counted(source) });
    const ended = await deps.exports.finish(job.exportId, {
      status: 'ready',
      finishedAt: deps.clock.now().toISOString(),
      rows,
      bytes,
      objectKey,
    });
    return ended ? { outcome: 'ready', rows, bytes } : { outcome: 'skipped' };
  } catch (error) {
    await deps.exports.finish(job.exportId, {
      status: 'failed',
      finishedAt: deps.clock.now().toISOString(),
      failure: 'The export could not be written. Ask for it again.',
    });
    return { outcome: 'failed', error };
  }
}

function responseRows(deps: RunExportDeps, survey: Survey, period: Period, visibility: Visibility) {
  const table = responseTable(survey);
  async function* source() {
    for await (const page of deps.responses.pages(survey.id, period.from, period.to)) {
      for (const r of page)
        if (inPeriod(period, r) && seesAttributes(visibility, r.attributes)) yield table.row(r);
    }
  }
  return { header: table.header, source: source() };
}

function aggregateRows(deps: RunExportDeps, survey: Survey, period: Period, visibility: Visibility) {
  const table = aggregateTable(survey);
  async function* source() {
    const values = period.segment === ALL ? await deps.segmentValues.all(survey.id) : [];
    const pathOf = pathFinder(values);
    // Someone who sees some places gets the rows of the values under them, and no whole-survey row.
    const segments =
      period.segment !== ALL
        ? [period.segment]
        : [
            ...(visibility.all ? [ALL] : []),
            ...values
              .map(({ key, value }) => ({ key, value }))
              .filter((v) => visibility.all || seesPath(visibility, pathOf(v))),
          ];
    // A few segment values at a time, each written in the catalogue's order once read.
    const width = deps.concurrency ?? 8;
    for (let i = 0; i < segments.length; i += width) {
      const read = await Promise.all(
        segments.slice(i, i + width).map(async (segment) => ({
          segment,
          days: await deps.aggregates.readDays(survey.id, segment, period.from, period.to),
        })),
      );
      for (const s of read) yield* table.rows(s);
    }
  }
  return { header: table.header, source: source() };
}
