import { ALL, type Segment } from '#aggregation/rules/aggregation.ts';
import { type DayCounters, histogramOf } from '#aggregation/rules/report.ts';
import type { Interaction, ResponseRecord } from '#capture/rules/response.ts';
import { BANDS_OF, type ScoreBand } from '#kernel/bands.ts';
import { estimateOf, scoreBand } from '#kernel/metrics.ts';
import { type Survey, scoredQuestions } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';
import { type Period, periodFields } from './responses.ts';

/** What a CSV holds: the responses one by one, or the figures of each segment on each day. */
export const EXPORT_KINDS = ['responses', 'aggregates'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** `POST /v1/surveys/{surveyId}/exports`. */
export const exportRequestBody = z.object({
  kind: z
    .enum(EXPORT_KINDS)
    .check(
      z.describe('responses: one row per response; aggregates: one row per segment value, day and question'),
    ),
  ...periodFields,
});
export type ExportRequest = z.output<typeof exportRequestBody>;

/** `GET /v1/surveys/{surveyId}/exports`. */
export const exportListQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(50)), 20),
});

export const EXPORT_STATUSES = ['running', 'ready', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** How long an export's file (personal data) and its record are kept: the bucket's lifecycle says the same. */
export const EXPORT_KEPT_DAYS = 7;
/** How long a download link works. */
export const DOWNLOAD_LINK_SECONDS = 15 * 60;
/** A job still running after this long died with its container (the exporter stops at 15 minutes). */
export const EXPORT_GIVE_UP_MS = 20 * 60_000;

/** An export job, as stored: asked for, then ready with its file, or failed with why. */
export interface ExportJob {
  readonly exportId: string;
  readonly surveyId: string;
  readonly kind: ExportKind;
  readonly from: string;
  readonly to: string;
  /** `key:value`, or `all:all`. */
  readonly segment: string;
  /**
   * The places of someone who sees only some (`key:value`): the file holds only their rows. Absent for someone
   * who sees every place.
   */
  readonly places?: readonly string[] | undefined;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly status: ExportStatus;
  readonly finishedAt?: string | undefined;
  /** Data rows in the file (the header not counted). */
  readonly rows?: number | undefined;
  readonly bytes?: number | undefined;
  /** Where the file is in the exports bucket. */
  readonly objectKey?: string | undefined;
  readonly failure?: string | undefined;
}

/** An export as the API shows it: with a fresh download link once ready. */
export interface ExportView extends Omit<ExportJob, 'objectKey'> {
  readonly fileName: string;
  readonly download?: { readonly url: string; readonly expiresAt: string } | undefined;
}

/** The job's status as a reader should see it: one that outlived any exporter has failed. */
export function statusOf(job: ExportJob, now: Date): Pick<ExportJob, 'status' | 'failure'> {
  if (job.status === 'running' && now.getTime() - Date.parse(job.requestedAt) > EXPORT_GIVE_UP_MS) {
    return { status: 'failed', failure: 'The export stopped before it finished.' };
  }
  return { status: job.status, failure: job.failure };
}

/** `pulso-demo-responses-2026-11-01-2026-11-30-store-s-001.csv`: the survey, the kind, the days and the place. */
export function exportFileName(
  job: Pick<ExportJob, 'surveyId' | 'kind' | 'from' | 'to' | 'segment'>,
): string {
  const place = job.segment === `${ALL.key}:${ALL.value}` ? [] : job.segment.split(':');
  return `${['pulso', job.surveyId, job.kind, job.from, job.to, ...place]
    .join('-')
    .replace(/[^a-zA-Z0-9_.-]+/g, '_')
    .slice(0, 150)}.csv`;
}

/** Where export files are in their bucket: the functions may touch nothing else there. */
export const EXPORTS_PREFIX = 'exports/';

/** The file's key in the bucket: by survey, then the export's id. */
export const objectKeyOf = (job: Pick<ExportJob, 'surveyId' | 'exportId'>, fileName: string) =>
  `${EXPORTS_PREFIX}${encodeURIComponent(job.surveyId)}/${job.exportId}/${fileName}`;

export type Cell = string | number | undefined;

/** A CSV's columns and how each row is made. */
export interface Table<T> {
  readonly header: readonly string[];
  readonly row: (item: T) => Cell[];
}

const RESPONSE_FIELDS = ['submission_id', 'received_at', 'locale', 'captured_via', 'campaign_id'] as const;

/** The interaction a response is about (the call, chat or ticket), last, so the columns before keep their places. */
const INTERACTION_COLUMNS: ReadonlyArray<readonly [string, (i: Interaction) => Cell]> = [
  ['interaction_id', (i) => i.id],
  ['interaction_vendor', (i) => i.vendor],
  ['interaction_url', (i) => i.url],
  ['interaction_channel', (i) => i.channel],
  ['interaction_queue', (i) => i.queue],
  ['interaction_agent', (i) => i.agent],
  ['opened_at', (i) => i.openedAt],
  ['first_response_at', (i) => i.firstResponseAt],
  ['resolved_at', (i) => i.resolvedAt],
  ['contacts', (i) => i.contacts],
  [
    'resolved_on_first_contact',
    (i) => (i.resolvedOnFirstContact === undefined ? undefined : String(i.resolvedOnFirstContact)),
  ],
];

/**
 * One row per response: its fields, an answer column per question of the survey (scores, or what the customer
 * wrote), a column per segment key (a key named like a question or a field gets `attribute_` before it), then
 * the interaction it is about, when its vendor said.
 */
export function responseTable(survey: Survey): Table<ResponseRecord> {
  const questionIds = survey.questions.map((q) => q.id);
  const taken = new Set<string>([...RESPONSE_FIELDS, ...questionIds]);
  const keyColumns = survey.segmentKeys.map((k) => (taken.has(k) ? `attribute_${k}` : k));
  return {
    header: [...RESPONSE_FIELDS, ...questionIds, ...keyColumns, ...INTERACTION_COLUMNS.map(([name]) => name)],
    row: (r) => [
      r.submissionId,
      r.receivedAt,
      r.locale,
      r.capturedVia,
      r.campaignId,
      ...questionIds.map((id) => r.answers[id]),
      ...survey.segmentKeys.map((k) => r.attributes[k]),
      ...INTERACTION_COLUMNS.map(([, cell]) => (r.interaction ? cell(r.interaction) : undefined)),
    ],
  };
}

/** Does the response fall in the period? (The reader's scan tests the survey and the days; this tests all.) */
export function inPeriod(period: Period, r: ResponseRecord): boolean {
  const day = r.receivedAt.slice(0, 10);
  if (day < period.from || day > period.to) return false;
  return period.segment === ALL || r.attributes[period.segment.key] === period.segment.value;
}

/** The bands every question type has, in one list: an aggregate row counts those of its question. */
const EVERY_BAND = Object.values(BANDS_OF).flat() as ScoreBand[];

/** The days of one segment value, as read for an aggregates export. */
export interface SegmentDays {
  readonly segment: Segment;
  readonly days: readonly DayCounters[];
}

/** An aggregate row: a segment value's answers to one question on one day. */
export interface AggregateRow {
  readonly segment: Segment;
  readonly day: string;
  readonly questionId: string;
}

/**
 * One row per segment value, day and scored question with answers: n, the headline figure (NPS, CSAT % or the CES
 * mean) with its 95% interval, and the answers in each of the question's bands (the other bands' cells are empty).
 */
export function aggregateTable(survey: Survey): {
  readonly header: readonly string[];
  readonly rows: (s: SegmentDays) => Cell[][];
} {
  const questions = scoredQuestions(survey);
  return {
    header: [
      'segment_key',
      'segment_value',
      'day',
      'question_id',
      'question_type',
      'n',
      'score',
      'ci95_low',
      'ci95_high',
      ...EVERY_BAND.map((b) => b.replace(/-/g, '_')),
    ],
    rows: ({ segment, days }) =>
      [...days]
        .sort((a, b) => a.day.localeCompare(b.day))
        .flatMap((d) =>
          questions.flatMap((q) => {
            const h = histogramOf([d], q.id, d.day, d.day);
            const figure = estimateOf(q, h);
            if (figure.n === 0) return [];
            const bands = new Map<ScoreBand, number>();
            for (const [score, count] of Object.entries(h)) {
              const band = scoreBand(q, Number(score));
              bands.set(band, (bands.get(band) ?? 0) + count);
            }
            const own = BANDS_OF[q.type] as readonly ScoreBand[];
            return [
              [
                segment.key,
                segment.value,
                d.day,
                q.id,
                q.type,
                figure.n,
                rounded(figure.score),
                rounded(figure.ci95?.low),
                rounded(figure.ci95?.high),
                ...EVERY_BAND.map((b) => (own.includes(b) ? (bands.get(b) ?? 0) : undefined)),
              ],
            ];
          }),
        ),
  };
}

const rounded = (x: number | null | undefined) =>
  x === null || x === undefined ? undefined : Math.round(x * 100) / 100;
