import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoResponseStore } from '#adapters/dynamodb/responses.ts';
import { dayOf } from '#kernel/days.ts';
import type { Runtime } from '#local/runtime.ts';
import { type client, startTestRuntime } from '../support/http.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const surveyId = `exp-${run}`;
const otherSurveyId = `exp-other-${run}`;
const FORMULA = '=HYPERLINK("http://evil.example","click")';
const today = dayOf(new Date());

interface ExportView {
  exportId: string;
  status: 'running' | 'ready' | 'failed';
  kind: string;
  from: string;
  to: string;
  segment: string;
  fileName: string;
  rows?: number;
  bytes?: number;
  requestedBy: string;
  download?: { url: string; expiresAt: string };
  [other: string]: unknown;
}

const sent: { id: string; nps: number; store: string; comment?: string }[] = [
  { id: `${run}-quote`, nps: 3, store: 'a1', comment: 'Dijo "espere", luego, nada;\nnunca volví' },
  { id: `${run}-formula`, nps: 9, store: 'a2', comment: FORMULA },
  { id: `${run}-minus`, nps: 6, store: 'a1', comment: '-1 estrellas, atención pésima' },
  { id: `${run}-silent-1`, nps: 10, store: 'a2' },
  { id: `${run}-silent-2`, nps: 7, store: 'a1' },
];

/** Asks for an export and waits until the exporter has run. */
async function exported(body: Record<string, unknown>): Promise<ExportView> {
  const asked = await api.admin('POST', `v1/surveys/${surveyId}/exports`, body);
  expect(asked.status, asked.text).toBe(202);
  const view = asked.json as ExportView;
  expect(asked.headers.get('location')).toBe(`/v1/exports/${view.exportId}`);
  await rt.idle();
  const read = await api.admin('GET', `v1/exports/${view.exportId}`);
  expect(read.status, read.text).toBe(200);
  return read.json as ExportView;
}

/** The file behind a ready export's link: its headers and rows as records by column. */
async function download(view: ExportView) {
  expect(view.status).toBe('ready');
  const res = await fetch(view.download?.url ?? '');
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  const records = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
  return { res, bytes, records };
}

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
  const demo = (await api.admin('GET', 'v1/surveys/demo')).json;
  for (const id of [surveyId, otherSurveyId]) {
    const put = await api.admin('PUT', `v1/surveys/${id}`, { ...demo, id });
    expect(put.status, put.text).toBe(200);
  }
  for (const r of sent) {
    const res = await api.respond({
      surveyId,
      submissionId: r.id,
      answers: { nps: r.nps, csat: 4, ces: 5, ...(r.comment ? { comment: r.comment } : {}) },
      attributes: { region: 'north', city: 'lima', store: r.store },
    });
    expect(res.status, res.text).toBe(201);
  }
  // Another survey's answer is never in this survey's file.
  const other = await api.respond({
    surveyId: otherSurveyId,
    submissionId: `${run}-elsewhere`,
    answers: { nps: 1, csat: 1, ces: 1 },
    attributes: { store: 'a1' },
  });
  expect(other.status, other.text).toBe(201);
  // Forty days ago: out of the last 30 days.
  await new DynamoResponseStore(ddb, rt.tableName).putIfAbsent(
    {
      surveyId,
      submissionId: `${run}-old`,
      receivedAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      locale: 'es',
      capturedVia: 'api',
      contentHash: 'old',
      answers: { nps: 9 },
      attributes: { region: 'north', city: 'lima', store: 'a1' },
    },
    400,
  );
  await rt.idle();
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe('exporting the responses as CSV', () => {
  it('writes every response of the period, with and without a comment, one row each, as it was sent', async () => {
    const view = await exported({ kind: 'responses', window: '30d' });
    expect(view).toMatchObject({ kind: 'responses', to: today, segment: 'all:all', rows: sent.length });
    expect(view.requestedBy).not.toBe('');
    expect(view.download?.url).toContain('X-Amz-Signature=');
    expect(Date.parse(view.download?.expiresAt ?? '') - Date.now()).toBeGreaterThan(14 * 60_000);
    const { res, bytes, records } = await download(view);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(`filename="${view.fileName}"`);
    expect(view.fileName).toBe(`pulso-${surveyId}-responses-${view.from}-${today}.csv`);
    expect(view.bytes).toBe(bytes.length);
    // A byte order mark, so that spreadsheets read UTF-8; then the header.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe(
      'submission_id,received_at,locale,captured_via,campaign_id,nps,csat,ces,comment,region,city,store,channel,' +
        'interaction_id,interaction_vendor,interaction_url,interaction_channel,interaction_queue,interaction_agent,' +
        'opened_at,first_response_at,resolved_at,contacts,resolved_on_first_contact',
    );
    expect(records.map((r) => r.submission_id).sort()).toEqual(sent.map((r) => r.id).sort());
    for (const r of sent) {
      const row = records.find((x) => x.submission_id === r.id);
      expect(row).toMatchObject({ nps: String(r.nps), csat: '4', ces: '5', store: r.store, city: 'lima' });
      expect(row?.locale).toBe('en');
      expect(row?.captured_via).toBe('api');
      expect(dayOf(row?.received_at ?? '')).toBe(today);
    }
    const comment = (id: string) => records.find((x) => x.submission_id === id)?.comment;
    // Quotes, commas, semicolons and line breaks survive; accents too.
    expect(comment(`${run}-quote`)).toBe('Dijo "espere", luego, nada;\nnunca volví');
    // A cell a spreadsheet would run is written as text.
    expect(comment(`${run}-formula`)).toBe(`'${FORMULA}`);
    expect(comment(`${run}-minus`)).toBe(`'-1 estrellas, atención pésima`);
    expect(comment(`${run}-silent-1`)).toBe('');
  });

  it('keeps to a place and to a range of days', async () => {
    const a1 = await download(await exported({ kind: 'responses', segment: 'store:a1' }));
    expect(a1.records.map((r) => r.submission_id).sort()).toEqual(
      sent
        .filter((r) => r.store === 'a1')
        .map((r) => r.id)
        .sort(),
    );
    const past = dayOf(new Date(Date.now() - 40 * 86_400_000));
    const old = await exported({ kind: 'responses', from: past, to: past });
    expect(old.fileName).toBe(`pulso-${surveyId}-responses-${past}-${past}.csv`);
    expect((await download(old)).records.map((r) => r.submission_id)).toEqual([`${run}-old`]);
    const empty = await exported({ kind: 'responses', segment: 'store:nowhere' });
    expect(empty.rows).toBe(0);
    expect((await download(empty)).records).toEqual([]);
  });
});

describe('exporting the aggregates as CSV', () => {
  it('writes a row per segment value, day and question, with n, the figure and its bands', async () => {
    const view = await exported({ kind: 'aggregates', window: '7d' });
    const { records } = await download(view);
    expect(Object.keys(records[0] ?? {})).toEqual([
      'segment_key',
      'segment_value',
      'day',
      'question_id',
      'question_type',
      'n',
      'score',
      'ci95_low',
      'ci95_high',
      'detractor',
      'passive',
      'promoter',
      'dissatisfied',
      'satisfied',
      'high_effort',
      'neutral_effort',
      'low_effort',
    ]);
    expect(view.rows).toBe(records.length);
    const row = (key: string, value: string, question: string) =>
      records.find(
        (r) =>
          r.segment_key === key && r.segment_value === value && r.question_id === question && r.day === today,
      );
    // Five answers today: 3, 9, 6, 10, 7 -> detractors 2, passives 1, promoters 2: NPS 0.
    expect(row('all', 'all', 'nps')).toMatchObject({
      n: '5',
      score: '0',
      detractor: '2',
      passive: '1',
      promoter: '2',
      satisfied: '',
      low_effort: '',
    });
    expect(row('store', 'a1', 'nps')).toMatchObject({ n: '3', detractor: '2', passive: '1', promoter: '0' });
    expect(row('store', 'a2', 'nps')).toMatchObject({ n: '2', promoter: '2', score: '100' });
    expect(row('all', 'all', 'csat')).toMatchObject({
      n: '5',
      score: '100',
      satisfied: '5',
      dissatisfied: '0',
    });
    expect(Number(row('all', 'all', 'nps')?.ci95_low)).toBeLessThan(0);
    // The same figures as the metrics API for the day.
    const metrics = await api.admin('GET', `v1/surveys/${surveyId}/metrics?window=7d&segment=store:a1`);
    expect((metrics.json as { nps: { n: number } }).nps.n).toBe(3);
    // One place only.
    const a2 = await download(await exported({ kind: 'aggregates', segment: 'store:a2' }));
    expect(new Set(a2.records.map((r) => `${r.segment_key}:${r.segment_value}`))).toEqual(
      new Set(['store:a2']),
    );
  });
});

describe('the exports of a survey', () => {
  it('lists them newest first, without links', async () => {
    const res = await api.admin('GET', `v1/surveys/${surveyId}/exports?limit=2`);
    expect(res.status, res.text).toBe(200);
    const { items } = res.json as { items: ExportView[] };
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ kind: 'aggregates', segment: 'store:a2', status: 'ready' });
    expect(String(items[0]?.requestedAt) >= String(items[1]?.requestedAt)).toBe(true);
    expect(items[0]).not.toHaveProperty('download');
    expect(items[0]).not.toHaveProperty('objectKey');
  });

  it('refuses what it cannot export with a problem, and stores nothing', async () => {
    const before = (await api.admin('GET', `v1/surveys/${surveyId}/exports?limit=50`)).json as {
      items: unknown[];
    };
    for (const [body, field] of [
      [{}, 'kind'],
      [{ kind: 'everything' }, 'kind'],
      [{ kind: 'responses', segment: 'shelf:3' }, 'segment'],
      [{ kind: 'responses', from: '2026-02-30', to: '2026-03-01' }, 'from'],
      [{ kind: 'responses', from: '2026-03-02', to: '2026-03-01' }, 'from'],
      [{ kind: 'responses', window: '365d' }, 'window'],
    ] as const) {
      const res = await api.admin('POST', `v1/surveys/${surveyId}/exports`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.text).toContain(field);
    }
    expect((await api.admin('POST', 'v1/surveys/nope/exports', { kind: 'responses' })).status).toBe(404);
    expect((await api.admin('GET', 'v1/exports/exp_nothing')).status).toBe(404);
    expect((await api.admin('GET', 'v1/surveys/nope/exports')).status).toBe(404);
    const after = (await api.admin('GET', `v1/surveys/${surveyId}/exports?limit=50`)).json as {
      items: unknown[];
    };
    expect(after.items).toHaveLength(before.items.length);
    // Without a token, nothing.
    const anonymous = await fetch(`${rt.apiUrl}v1/surveys/${surveyId}/exports`);
    expect(anonymous.status).toBe(401);
  });
});
