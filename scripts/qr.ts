/**
 * npm run qr -- --survey demo --attr store=s-001 --attr section=bar [--lang es] [--format png|svg] [--out file]
 * Makes a signed survey link with these segment attributes through the admin API
 * (POST /v1/surveys/{surveyId}/links) and writes its QR code to a file (PNG by default, or SVG for print).
 * API URL and token come from .local/runtime.json (npm start), or PULSO_API_URL and PULSO_ADMIN_TOKEN.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE =
  'Usage: npm run qr -- --survey <id> [--attr key=value ...] [--lang en|es|pt] [--format png|svg] [--out file]';

const { values } = parseArgs({
  options: {
    survey: { type: 'string' },
    attr: { type: 'string', multiple: true, default: [] },
    lang: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const surveyId = values.survey ?? fail(USAGE);
const attributes: Record<string, string> = {};
for (const pair of values.attr ?? []) {
  const eq = pair.indexOf('=');
  if (eq < 1) fail(`--attr ${pair}: expected key=value\n${USAGE}`);
  attributes[pair.slice(0, eq)] = pair.slice(eq + 1);
}
const format = values.format ?? (values.out?.toLowerCase().endsWith('.svg') ? 'svg' : 'png');
if (format !== 'png' && format !== 'svg') fail(`--format ${format}: expected png or svg`);
const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
// Codes land in .local/qr/ (ignored by git and lint) unless --out says where.
const out =
  values.out ??
  `.local/qr/qr-${[surveyId, ...Object.entries(attributes).flat()].map(safe).join('-')}.${format}`;

const local = existsSync('.local/runtime.json')
  ? JSON.parse(readFileSync('.local/runtime.json', 'utf8'))
  : {};
const apiUrl: string | undefined = process.env.PULSO_API_URL ?? local.apiUrl;
const token: string | undefined = process.env.PULSO_ADMIN_TOKEN ?? local.adminToken;
if (!apiUrl || !token) fail('No API: start `npm start`, or set PULSO_API_URL and PULSO_ADMIN_TOKEN.');

const res = await fetch(new URL(`v1/surveys/${encodeURIComponent(surveyId)}/links`, apiUrl), {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ attributes, ...(values.lang ? { lang: values.lang } : {}) }),
});
const body = (await res.json().catch(() => ({}))) as {
  url?: string;
  qr?: { svg: string; png: string };
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
};
if (!res.ok || !body.url || !body.qr) {
  console.error(`The API answered ${res.status}: ${body.detail ?? 'no detail'}`);
  for (const e of body.errors ?? []) console.error(`  ${e.field}: ${e.message}`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, format === 'svg' ? body.qr.svg : Buffer.from(body.qr.png, 'base64'));
console.log(`Survey link: ${body.url}\nQR code (${format}): ${out}`);
