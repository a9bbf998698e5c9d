import { describe, expect, it } from 'vitest';
import type { AggregateStore, SegmentCatalogue } from '#aggregation/ports.ts';
import type { ResponseRecord } from '#capture/rules/response.ts';
import type { ExportFiles, ExportStore, ResponseScan } from '#insight/ports.ts';
import {
  aggregateTable,
  type Cell,
  type ExportJob,
  exportFileName,
  inPeriod,
  responseTable,
  statusOf,
} from '#insight/rules/exports.ts';
import { listExports, readExport, requestExport, runExport } from '#insight/use-cases/exports.ts';
import { NotFoundError } from '#kernel/errors.ts';
import type { SurveyStore } from '#kernel/ports.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';

const survey = surveySchema.parse({
  ...demoSurvey,
  id: 'shop',
  // A segment key named like a question and like a field of the file.
  segmentKeys: [...(demoSurvey.segmentKeys ?? []), 'comment', 'locale'],
});
const now = new Date('2026-12-02T12:00:00Z');
const clock = { now: () => now };

const response = (over: Partial<ResponseRecord> = {}): ResponseRecord => ({
  surveyId: survey.id,
  submissionId: 's-1',
  answers: { nps: 9, comment: 'Bien' },
  attributes: { store: 'a1', comment: 'c-attr', locale: 'x-attr' },
  locale: 'es',
  capturedVia: 'web',
  receivedAt: '2026-12-01T10:00:00.000Z',
  contentHash: 'h',
  ...over,
});

const job = (over: Partial<ExportJob> = {}): ExportJob => ({
  exportId: 'exp_1',
  surveyId: survey.id,
  kind: 'responses',
  from: '2026-11-03',
  to: '2026-12-02',
  segment: 'all:all',
  requestedBy: 'ana',
  requestedAt: now.toISOString(),
  status: 'running',
  ...over,
});

/** In-memory ports: the stored jobs, the written files. */
function fakes(responses: ResponseRecord[] = []) {
  const jobs = new Map<string, ExportJob>();
  const files = new Map<string, { header: readonly string[]; rows: Cell[][] }>();
  const exports: ExportStore = {
    create: async (j) => void jobs.set(j.exportId, j),
    get: async (id) => jobs.get(id),
    listOf: async () => [...jobs.values()],
    finish: async (id, outcome) => {
      const j = jobs.get(id);
      if (j?.status !== 'running') return false;
      jobs.set(id, { ...j, ...outcome });
      return true;
    },
  };
  const surveys: SurveyStore = {
    get: async (id) => (id === survey.id ? survey : undefined),
  } as SurveyStore;
  const scan: ResponseScan = {
    async *pages() {
      yield responses.slice(0, 1);
      yield responses.slice(1);
    },
  };
  const exportFiles: ExportFiles = {
    writeCsv: async (key, file) => {
      const rows: Cell[][] = [];
      for await (const row of file.rows) rows.push(row);
      files.set(key, { header: file.header, rows });
      return { bytes: 42 };
    },
    downloadLink: async (key) => `https://files.example/${key}`,
  };
  const aggregates = {
    readDays: async (_s: string, segment: { key: string; value: string }) =>
      segment.key === 'store' && segment.value === 'a2'
        ? []
        : [{ day: '2026-12-01', counters: { 'nps#9': 2, 'nps#3': 1, 'csat#5': 1 } }],
  } as unknown as AggregateStore;
  const segmentValues = {
    all: async () => [
      { key: 'store', value: 'a1' },
      { key: 'store', value: 'a2' },
    ],
  } as unknown as SegmentCatalogue;
  const deps = {
    surveys,
    exports,
    responses: scan,
    segmentValues,
    aggregates,
    files: exportFiles,
    clock,
  };
  return { jobs, files, deps };
}

describe('the responses file', () => {
  it('ends with the interaction a response is about, empty for one about none', () => {
    const table = responseTable(survey);
    const about = table.row({
      ...response(),
      interaction: {
        id: '4321',
        vendor: 'zendesk',
        url: 'https://acme.zendesk.com/agent/tickets/4321',
        queue: 'Soporte',
        openedAt: '2026-12-01T09:30:00Z',
        resolvedAt: '2026-12-01T12:00:00Z',
        contacts: 1,
        resolvedOnFirstContact: true,
      },
    });
    expect(about.slice(-11)).toEqual([
      '4321',
      'zendesk',
      'https://acme.zendesk.com/agent/tickets/4321',
      undefined,
      'Soporte',
      undefined,
      '2026-12-01T09:30:00Z',
      undefined,
      '2026-12-01T12:00:00Z',
      1,
      'true',
    ]);
    expect(table.row(response()).slice(-11)).toEqual(Array(11).fill(undefined));
  });

  it('has a column per field, question and segment key, a key named like another column prefixed', () => {
    const table = responseTable(survey);
    expect(table.header).toEqual([
      'submission_id',
      'received_at',
      'locale',
      'captured_via',
      'campaign_id',
      'nps',
      'csat',
      'ces',
      'comment',
      ...(demoSurvey.segmentKeys ?? []),
      'attribute_comment',
      'attribute_locale',
      'interaction_id',
      'interaction_vendor',
      'interaction_url',
      'interaction_channel',
      'interaction_queue',
      'interaction_agent',
      'opened_at',
      'first_response_at',
      'resolved_at',
      'contacts',
      'resolved_on_first_contact',
    ]);
    const row = table.row(response());
    expect(row).toHaveLength(table.header.length);
    expect(row.slice(0, 9)).toEqual([
      's-1',
      '2026-12-01T10:00:00.000Z',
      'es',
      'web',
      undefined,
      9,
      undefined,
      undefined,
      'Bien',
    ]);
    expect(row.slice(-13, -11)).toEqual(['c-attr', 'x-attr']);
  });

  it('keeps the days and the place asked for', () => {
    const period = { from: '2026-12-01', to: '2026-12-01', segment: { key: 'store', value: 'a1' } };
    expect(inPeriod(period, response())).toBe(true);
    expect(inPeriod(period, response({ receivedAt: '2026-12-02T00:00:00.000Z' }))).toBe(false);
    expect(inPeriod(period, response({ attributes: { store: 'a2' } }))).toBe(false);
  });

  it('is named by survey, kind, days and place, in letters a file system takes', () => {
    expect(exportFileName(job({ segment: 'store:São Paulo/1' }))).toBe(
      'pulso-shop-responses-2026-11-03-2026-12-02-store-S_o_Paulo_1.csv',
    );
    expect(exportFileName(job())).toBe('pulso-shop-responses-2026-11-03-2026-12-02.csv');
  });
});

describe('the aggregates file', () => {
  it('gives a row per day and question with answers, the figure, and only that question type’s bands', () => {
    const table = aggregateTable(survey);
    const rows = table.rows({
      segment: { key: 'store', value: 'a1' },
      days: [
        { day: '2026-12-02', counters: { 'csat#2': 1 } },
        { day: '2026-12-01', counters: { 'nps#10': 3, 'nps#0': 1 } },
      ],
    });
    const record = (r: Cell[]) => Object.fromEntries(table.header.map((h, i) => [h, r[i]]));
    // Oldest first; CES had no answers, so no row.
    expect(rows.map((r) => [r[2], r[3]])).toEqual([
      ['2026-12-01', 'nps'],
      ['2026-12-02', 'csat'],
    ]);
    expect(record(rows[0] ?? [])).toMatchObject({
      segment_key: 'store',
      segment_value: 'a1',
      question_type: 'nps',
      n: 4,
      score: 50,
      promoter: 3,
      passive: 0,
      detractor: 1,
      satisfied: undefined,
      low_effort: undefined,
    });
    expect(record(rows[1] ?? [])).toMatchObject({
      n: 1,
      score: 0,
      dissatisfied: 1,
      satisfied: 0,
      promoter: undefined,
    });
  });
});

describe('export jobs', () => {
  it('a job running longer than any exporter can is shown as failed', () => {
    expect(statusOf(job({ requestedAt: new Date(now.getTime() - 21 * 60_000).toISOString() }), now)).toEqual({
      status: 'failed',
      failure: 'The export stopped before it finished.',
    });
    expect(statusOf(job(), now).status).toBe('running');
    expect(statusOf(job({ status: 'ready', requestedAt: '2026-01-01T00:00:00Z' }), now).status).toBe('ready');
  });

  it('writes the rows of the period, counts them and marks the job ready once', async () => {
    const { jobs, files, deps } = fakes([
      response(),
      response({ submissionId: 's-2', receivedAt: '2026-10-01T00:00:00.000Z' }),
      response({ submissionId: 's-3', surveyId: 'shop' }),
    ]);
    jobs.set('exp_1', job());
    expect(await runExport(deps, job())).toEqual({ outcome: 'ready', rows: 2, bytes: 42 });
    const [key, file] = [...files][0] ?? [];
    expect(key).toBe('exports/shop/exp_1/pulso-shop-responses-2026-11-03-2026-12-02.csv');
    expect(file?.rows.map((r) => r[0])).toEqual(['s-1', 's-3']);
    expect(jobs.get('exp_1')).toMatchObject({ status: 'ready', rows: 2, bytes: 42, objectKey: key });
    // A second delivery of the same job does nothing.
    expect(await runExport(deps, jobs.get('exp_1') as ExportJob)).toEqual({ outcome: 'skipped' });
  });

  it('reads every segment value for an aggregates file of all responses', async () => {
    const { jobs, files, deps } = fakes();
    jobs.set('exp_1', job({ kind: 'aggregates' }));
    const outcome = await runExport(deps, job({ kind: 'aggregates' }));
    const rows = [...files.values()][0]?.rows ?? [];
    // all:all and store:a1 have a day (NPS and CSAT rows each); store:a2 has none.
    expect(rows.map((r) => `${r[0]}:${r[1]}:${r[3]}`)).toEqual([
      'all:all:nps',
      'all:all:csat',
      'store:a1:nps',
      'store:a1:csat',
    ]);
    expect(outcome).toMatchObject({ outcome: 'ready', rows: 4 });
  });

  it("writes only the requester's places when they see some: their answers, their values, no whole-survey row", async () => {
    const { jobs, files, deps } = fakes([
      response({ submissionId: 's-a1', attributes: { store: 'a1' } }),
      response({ submissionId: 's-a2', attributes: { store: 'a2' } }),
      response({ submissionId: 's-none', attributes: {} }),
    ]);
    const theirs = job({ places: ['store:a1'], requestedBy: 'carla' });
    jobs.set('exp_1', theirs);
    await runExport(deps, theirs);
    expect([...files.values()][0]?.rows.map((r) => r[0])).toEqual(['s-a1']);

    files.clear();
    const figures = job({ kind: 'aggregates', places: ['store:a1'] });
    jobs.set('exp_1', figures);
    await runExport(deps, figures);
    expect(([...files.values()][0]?.rows ?? []).map((r) => `${r[0]}:${r[1]}`)).toEqual([
      'store:a1',
      'store:a1',
    ]);
  });

  it("shows someone who sees some places only the exports they asked for, and another's as none", async () => {
    const { jobs, deps } = fakes();
    jobs.set('exp_1', job({ requestedBy: 'ana' }));
    jobs.set('exp_2', job({ exportId: 'exp_2', requestedBy: 'carla', places: ['store:a1'] }));
    const carla = {
      actor: 'carla',
      visibility: { all: false, places: [{ key: 'store', value: 'a1' }] },
    } as const;
    const listed = await listExports(deps, { surveyId: survey.id, limit: 10 }, carla);
    expect(listed.items.map((e) => e.exportId)).toEqual(['exp_2']);
    await expect(readExport(deps, 'exp_1', carla)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listExports(deps, { surveyId: survey.id, limit: 10 })).items).toHaveLength(2);
  });

  it('marks the job failed when its file cannot be written, and says so', async () => {
    const { jobs, deps } = fakes([response()]);
    jobs.set('exp_1', job());
    const broken = {
      ...deps,
      files: { ...deps.files, writeCsv: () => Promise.reject(new Error('S3 down')) },
    };
    const outcome = await runExport(broken, job());
    expect(outcome).toMatchObject({ outcome: 'failed' });
    expect(jobs.get('exp_1')).toMatchObject({
      status: 'failed',
      failure: 'The export could not be written. Ask for it again.',
    });
  });

  it('a job the queue did not take is failed at once', async () => {
    const { jobs, deps } = fakes();
    const queue = { enqueue: () => Promise.reject(new Error('SQS down')) };
    await expect(
      requestExport(
        { surveys: deps.surveys, exports: deps.exports, catalogue: deps.segmentValues, queue, clock },
        { surveyId: 'shop', actor: 'ana', request: { kind: 'responses', window: '7d' } },
      ),
    ).rejects.toThrow('SQS down');
    expect([...jobs.values()]).toMatchObject([
      { status: 'failed', failure: 'The export could not be started. Ask for it again.', from: '2026-11-26' },
    ]);
  });
});
