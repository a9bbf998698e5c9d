/**
 * npm run contacts:import -- contacts.csv [--keep-days 365] [--chunk 500]
 * Sends a CSV of contacts (email, phone, locale, attribute columns) to the admin API in chunks, with a progress bar.
 * Bad rows are reported by their line in the file; good rows are kept. API URL and token come from
 * .local/runtime.json (npm start), or PULSO_API_URL and PULSO_ADMIN_TOKEN.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { parse } from 'csv-parse';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'keep-days': { type: 'string' }, chunk: { type: 'string', default: '500' } },
});
const file = positionals[0];
if (!file || !existsSync(file)) {
  console.error('Usage: npm run contacts:import -- <file.csv> [--keep-days N] [--chunk N]');
  process.exit(2);
}
const local = existsSync('.local/runtime.json')
  ? JSON.parse(readFileSync('.local/runtime.json', 'utf8'))
  : {};
const apiUrl: string | undefined = process.env.PULSO_API_URL ?? local.apiUrl;
const token: string | undefined = process.env.PULSO_ADMIN_TOKEN ?? local.adminToken;
if (!apiUrl || !token) {
  console.error('No API: start `npm start`, or set PULSO_API_URL and PULSO_ADMIN_TOKEN.');
  process.exit(2);
}
const chunkSize = Number(values.chunk);
const query = values['keep-days'] ? `?keepDays=${encodeURIComponent(values['keep-days'])}` : '';

// Count lines first so the bar knows the total (a fast pass over the file).
let total = 0;
for await (const chunk of createReadStream(file))
  for (const byte of chunk as Buffer) if (byte === 10) total++;

type Row = { line: number; fields: Record<string, string> };
type RowError = { line: number; field: string; message: string };
const errors: RowError[] = [];
let imported = 0;
let rows = 0;

async function send(batch: Row[]): Promise<void> {
  const res = await fetch(new URL(`v1/contacts/import${query}`, apiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ rows: batch }),
  });
  const body = (await res.json()) as { imported?: number; errors?: RowError[]; detail?: string };
  if (!res.ok) throw new Error(`The API answered ${res.status}: ${body.detail ?? JSON.stringify(body)}`);
  imported += body.imported ?? 0;
  errors.push(...(body.errors ?? []));
}

const bar = new SingleBar({
  format: 'Importing [{bar}] {percentage}% | {value}/{total} rows | {imported} imported | {bad} bad rows',
  barCompleteChar: '#',
  barIncompleteChar: '-',
  hideCursor: true,
});
bar.start(Math.max(total - 1, 1), 0, { imported: 0, bad: 0 });
const parser = createReadStream(file).pipe(
  parse({
    columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()),
    bom: true,
    skip_empty_lines: true,
    info: true,
  }),
);
let batch: Row[] = [];
try {
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    batch.push({ line: info.lines, fields: record });
    rows++;
    if (batch.length >= chunkSize) {
      await send(batch);
      batch = [];
      bar.update(rows, { imported, bad: new Set(errors.map((e) => e.line)).size });
    }
  }
  if (batch.length > 0) await send(batch);
  bar.update(rows, { imported, bad: new Set(errors.map((e) => e.line)).size });
} catch (err) {
  bar.stop();
  console.error(`\nStopped at row ${rows}: ${(err as Error).message}`);
  process.exit(1);
}
bar.stop();
console.log(
  `\n${rows} rows read, ${imported} contacts imported, ${new Set(errors.map((e) => e.line)).size} rows refused.`,
);
for (const e of errors.slice(0, 20)) console.log(`  line ${e.line}, ${e.field}: ${e.message}`);
if (errors.length > 20) console.log(`  ... and ${errors.length - 20} more`);
process.exit(errors.length > 0 ? 1 : 0);
