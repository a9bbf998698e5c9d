/**
 * npm run bench: figures for docs/performance.md, measured on this machine's local engines.
 * `npm run bench -- --write` also rewrites docs/performance.md with them.
 */

import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { startRuntime } from '#local/runtime.ts';
import { synthesizeTemplate } from '#local/template/index.ts';
import { measureBundles } from './bundles.ts';
import { measurePageWeight, measureSends } from './campaigns.ts';
import { measureCommentReads } from './comments.ts';
import { measureExports, scanCost } from './exports.ts';
import { measureIngest } from './ingest.ts';
import { measureLatency } from './latency.ts';
import { measureAnswersOneAtATime } from './questions.ts';
import { ANALYSIS_MB, DATASETS, measureSentiment } from './sentiment.ts';
import { onFreshDynamoDb } from './support.ts';
import { PRICES, type RateFigures, writeTrafficSection } from './traffic.ts';
import { type ViralFigures, writeViralSection } from './viral.ts';
import { measureWebAnswers, type WebAnswerFigures } from './web-answers.ts';
import { measureWebApp, type WebAppFigures } from './web-app.ts';
import { measureWriteUnits } from './write-units.ts';

const write = process.argv.includes('--write');
const benchStarted = Date.now();
const quick = process.argv.includes('--quick');
const RESPONSES = quick ? 2_000 : 10_000;
const lines: string[] = [];
const out = (line = '') => {
  lines.push(line);
  console.log(line);
};
const f = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

out('# Performance');
out();
out(
  `Measured by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${f(totalmem() / 2 ** 30)} GiB, DynamoDB Local from amplify-dynamodb-simulator. Local engines are not AWS: throughput and latency figures compare designs on the same engine; write units are what DynamoDB reports (ReturnConsumedCapacity) and carry over to AWS.`,
);
out();

const figures: {
  ingestRatio?: number;
  wcu1000?: {
    total: number;
    ingest: number;
    withComment: number;
    withCommentUnread: number;
    vsFloor: number;
    agg: number;
    lanes: number;
  };
  vsFloorMax?: number;
  aggP95?: number;
  alertP95?: number;
  emailP95?: number;
  pageMaxBytes?: number;
  paced?: { rate: number; steady: number };
  rates?: RateFigures[];
  viral?: ViralFigures;
  web?: WebAnswerFigures;
  webApp?: WebAppFigures;
} = {};
// Each DynamoDB measurement runs on a DynamoDB Local of its own (onFreshDynamoDb in bench/support.ts).
{
  out('## Ingest throughput');
  out();
  const ingest = await onFreshDynamoDb((endpoint) => measureIngest(endpoint, quick ? 800 : 2_000, 16));
  out(
    `POST /v1/responses through the real handler (validation, survey lookup, conditional put) next to a bare PutItem of the same item, ${f(ingest.requests)} requests per round, concurrency ${ingest.concurrency}, median of 3 alternating rounds, on one DynamoDB Local.`,
  );
  out();
  out('| path | responses/s |');
  out('|---|---:|');
  out(`| raw PutItem | ${f(ingest.rawPutsPerSecond)} |`);
  out(`| handler | ${f(ingest.handlerPerSecond)} |`);
  out(`| **ratio** (target >= 0.8) | **${f(ingest.ratio, 2)}** |`);
  figures.ingestRatio = ingest.ratio;
  out();

  out('## DynamoDB write units per response');
  out();
  out(
    `Workload: ${f(RESPONSES)} responses (NPS, CSAT, CES, a comment on one in four) across 100 stores in 5 regions and 3 channels, one day; segments all, region, store, channel. Responses are stored through the response adapter; the stream is read from DynamoDB Local and folded in batches by the real aggregator code (fold-batch with the DynamoDB adapters).`,
  );
  out();
  out(
    '| batch size | ingest | ingest without / with a comment | aggregates | lane starts | **total** | **total without a comment** | aggregate floor | aggregates vs floor | naive design total |',
  );
  out('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const batch of [100, 1_000]) {
    const w = await measureWriteUnits(RESPONSES, batch);
    figures.vsFloorMax = Math.max(figures.vsFloorMax ?? 0, w.aggregateVsFloor);
    if (batch === 1_000)
      figures.wcu1000 = {
        total: w.totalUnitsWithoutComment,
        ingest: w.ingestUnitsWithoutComment,
        withComment: w.ingestUnitsWithComment,
        withCommentUnread: w.ingestUnitsWithCommentUnread,
        vsFloor: w.aggregateVsFloor,
        agg: w.aggregateUnitsPerResponse,
        lanes: w.laneUnitsPerResponse,
      };
    out(
      `| ${f(batch)} | ${f(w.ingestUnitsPerResponse, 3)} | ${f(w.ingestUnitsWithoutComment, 3)} / ${f(w.ingestUnitsWithComment, 3)} | ${f(w.aggregateUnitsPerResponse, 3)} | ${f(w.laneUnitsPerResponse, 3)} | **${f(w.totalUnitsPerResponse, 3)}** | **${f(w.totalUnitsWithoutComment, 3)}** | ${f(w.floorUnitsPerResponse, 3)} | ${f(w.aggregateVsFloor, 3)}x | ${f(w.naiveUnitsPerResponse, 3)} |`,
    );
  }
  out();
  out(
    'The floor is one write per aggregate item per batch. The naive design updates every aggregate item of a response once per response (and still double counts on retries). A response with a comment is also written to the comment index (gsi1, sparse; docs/decisions/0013-comment-index.md): one more write unit per KB of the item; one without a comment is not in the index.',
  );
  out();

  out('## Reading comments');
  out();
  const reading = await measureCommentReads(quick ? 4_000 : 8_000);
  out(
    `${f(reading.responses)} responses over 30 days, ${f(reading.commented)} with a comment, stored through the response adapter; each row is one page of \`GET /v1/surveys/{id}/responses\` through the real use case (listResponses) and the DynamoDB adapters: the 16 shards of the comment index merged newest first, and one BatchGetItem for the cases (bench/comments.ts). Read units are what DynamoDB Local reports (eventually consistent).`,
  );
  out();
  out('| page | listed | read units | requests | ms |');
  out('|---|---:|---:|---:|---:|');
  for (const p of reading.pages)
    out(`| ${p.name} | ${f(p.items)} | ${f(p.readUnits, 1)} | ${f(p.reads)} | ${f(p.ms)} |`);
  out();
  out(
    'A page reads at most 1,000 comments: a filter that few match gives a short page and a cursor (the last row). A response without a comment is never read here.',
  );
  out();

  out('## Exporting CSV');
  out();
  const exporting = await measureExports(quick ? 2_000 : 10_000);
  const ex = exporting.responseExport;
  const exAgg = exporting.aggregateExport;
  const scan = scanCost(exporting);
  const mb = (bytes: number) => `${f(bytes / 2 ** 20, 1)} MB`;
  out(
    `A table holding ${f(exporting.responses)} responses of the exported survey and ${f(exporting.others)} of another over ${exporting.days} days (NPS, CSAT, CES, a comment on one in four; 100 stores in 10 cities in 5 regions, 3 channels), folded from its stream by the real aggregator code: ${f(exporting.tableItems)} items, ${mb(exporting.tableBytes)} as DynamoDB bills them (${mb(exporting.responseBytes)} of responses, the rest aggregates, segment values and lane starts). Each export covers the survey's ${exporting.days} days, everywhere, through the real use case (runExport): the parallel Scan (4 segments) or the catalogue and day Queries, the export store, and the S3 file writer against the local S3 engine, which runs in a child process so that the export's memory and CPU are the exporter's alone (bench/exports.ts). Read units are what DynamoDB Local reports (eventually consistent); a responses export's time is the median of ${ex.roundsMs.length} rounds (${ex.roundsMs.map((ms) => f(ms)).join(', ')} ms).`,
  );
  out();
  out('| export | rows | file | requests | read units | time | rows/s |');
  out('|---|---:|---:|---:|---:|---:|---:|');
  out(
    `| responses | ${f(ex.rows)} | ${mb(ex.bytes)} | ${f(ex.scan.requests)} Scans | ${f(ex.scan.readUnits, 1)} | ${f(ex.ms)} ms | ${f(ex.rows / (ex.ms / 1000))} |`,
  );
  out(
    `| aggregates (${f(exAgg.segments)} segment values x day x question) | ${f(exAgg.rows)} | ${mb(exAgg.bytes)} | ${f(exAgg.queries.requests)} Queries | ${f(exAgg.queries.readUnits, 1)} | ${f(exAgg.ms)} ms | ${f(exAgg.rows / (exAgg.ms / 1000))} |`,
  );
  out();
  const pages = ex.memory.perPage;
  out(
    `The Scan reads the whole table and keeps the survey's responses: ${f(ex.scan.readUnits, 1)} read units against ${f(ex.floorUnits, 1)} for the table's bytes at 0.5 a 4 KB, so ${f(scan.unitsPerRow, 3)} per exported row here and ${f(scan.unitsPerGb)} per GB (2^30 bytes) of table, whatever the survey ($${f(scan.unitsPerGb * PRICES.dynamoReadUnit, 4)} per GB). Extrapolated from these units to a table of a million responses like these (with their share of aggregates): ${f(scan.perMillionInTable)} read units, $${f(scan.dollarsPerMillionInTable, 4)} at $0.125 per million on-demand read units, for each responses export of any survey in it. Memory during the export: RSS grew at most ${mb(ex.memory.peakGrowth.rss)} (sampled every 5 ms, in a process that filled the table first and keeps what it freed; the heap ${mb(ex.memory.peakGrowth.heapUsed)} with its uncollected garbage); what the export held after each of the ${f(pages.length)} Scan pages, after a GC, stayed within ${mb(Math.max(...pages.map((p) => p.heapUsed)))} of heap and ${mb(Math.max(...pages.map((p) => p.arrayBuffers)))} of buffers.`,
  );
  out();

  out('## Web answers');
  out();
  const web = await onFreshDynamoDb((endpoint) => measureWebAnswers(endpoint, quick ? 100 : 200));
  figures.web = web;
  out(
    `${f(web.answers)} survey-page form posts through the real use case (recordFormResponse) and the DynamoDB adapters, in a warm container: distinct devices, three in five on their own address, two in five on four shops' Wi-Fi, one in ten without a device cookie, none over a limit (bench/web-answers.ts).`,
  );
  out();
  out('| per web answer | write units |');
  out('|---|---:|');
  out(`| response | ${f(web.responseUnits, 2)} |`);
  out(`| rate limits | ${f(web.rateLimitUnits, 2)} |`);
  out(`| **total** | **${f(web.totalUnits, 2)}** |`);
  out(`| read units | ${f(web.readUnits, 2)} |`);
  out();
  out(
    `A double tap costs ${f(web.repeatUnits, 2)} write units, a post refused by the device limit ${f(web.refusedByDeviceUnits)}, by the address limit ${f(web.refusedByAddressUnits)}. An address filled to its limit by distinct devices weighs ${f(web.largestCounterBytes)} bytes.`,
  );
  out();

  out('## Answers one question at a time');
  out();
  const questions = await onFreshDynamoDb((endpoint) => measureAnswersOneAtATime(endpoint, quick ? 60 : 200));
  out(
    `${f(questions.calls)} IVR calls through the real use case (recordAnswers) and the DynamoDB adapter: NPS, CSAT and CES a request each, one call in five hung up after the first, one in four left a comment (${f(questions.answers)} answers; bench/questions.ts).`,
  );
  out();
  out('| per answer | units |');
  out('|---|---:|');
  out(`| write units, stored | ${f(questions.writeUnitsPerAnswer, 2)} |`);
  out(
    `| read units (the strongly consistent read before the write) | ${f(questions.readUnitsPerAnswer, 2)} |`,
  );
  out(`| write units, a vendor's retry of an answer stored | ${f(questions.repeatWriteUnits, 2)} |`);
  out(`| read units, that retry | ${f(questions.repeatReadUnits, 2)} |`);
  out(`| write units, another answer to a question answered | ${f(questions.conflictWriteUnits, 2)} |`);
  out();
  out(
    `The largest submission item (three scores, a comment, the place and the interaction) weighs ${f(questions.largestItemBytes)} bytes. Each answer is also one stream record, which the aggregator folds with the others of its batch (one write per aggregate item per batch, as for whole responses).`,
  );
  out();

  out('## Cost and freshness against arrival rate');
  out();
  const ingestMs = (ingest.concurrency / ingest.handlerPerSecond) * 1000;
  const template = await synthesizeTemplate();
  figures.rates = await writeTrafficSection(template, ingestMs, out, f, quick ? 0.5 : 1);
  const fullBatches = figures.rates.find((r) => r.ratePerSecond === 1_000);
  if (fullBatches) {
    out('## A survey that goes viral');
    out();
    figures.viral = await writeViralSection(template, fullBatches, ingestMs, out, f, quick ? 0.5 : 1);
  }
}

out('## Latency on the local pipeline');
out();
// Every sample is a detractor for one owner: lift the hourly alert budget so none goes to a digest. The
// aggregation window is set to 0: this section measures the pipeline itself; the window's own delay is the
// arrival-rate table's.
const runtime = await startRuntime({
  ports: { api: 0, dynamodb: 0, ses: 0, sns: 0 },
  quiet: true,
  template: await synthesizeTemplate({
    context: { alertsPerOwnerPerHour: 1000, aggregationWindowSeconds: 0 },
  }),
});
try {
  const samples = quick ? 20 : 60;
  // Start every Lambda worker first: cold starts are measured separately (bundles section).
  await runtime.warm();
  const table = Object.values(runtime.tableNames)[0] ?? '';
  const l = await measureLatency(
    {
      apiUrl: runtime.apiUrl,
      dynamodbEndpoint: runtime.dynamodbEndpoint,
      snsInboxUrl: runtime.snsInboxUrl,
      mailboxUrl: runtime.mailboxUrl,
      tableName: table,
    },
    samples,
  );
  out(
    `${samples} detractor responses through \`npm start\`'s runtime (HTTP API emulation, Lambda workers, stream pollers reading DynamoDB Local's stream), one at a time after one warm-up response, with Lambda workers already started; time from the API's answer until the day's aggregate counts the response, until its alert is in the SNS inbox, and until the owner's email (SES) is in the local mailbox. Synthesized with \`-c aggregationWindowSeconds=0\`: the aggregator's window (20 s as shipped) adds up to its length to the aggregate's delay (see the arrival-rate table) and nothing to alerts, whose stream mapping keeps no window. On AWS, add SES's own delivery time to the mailbox provider.`,
  );
  out();
  out('| from the response to | p50 | p95 | target p95 |');
  out('|---|---:|---:|---:|');
  figures.aggP95 = l.aggregateP95Ms;
  figures.alertP95 = l.alertP95Ms;
  out(`| aggregate visible | ${f(l.aggregateP50Ms)} ms | ${f(l.aggregateP95Ms)} ms | 1,000 ms |`);
  out(`| alert published | ${f(l.alertP50Ms)} ms | ${f(l.alertP95Ms)} ms | 1,500 ms |`);
  out(`| owner's email in the mailbox | ${f(l.emailP50Ms)} ms | ${f(l.emailP95Ms)} ms | |`);
  figures.emailP95 = l.emailP95Ms;
  out();
} finally {
  await runtime.stop();
}

out('## Survey page weight');
out();
out(
  'What a phone downloads: each page as the local API serves it (HTML with its inline CSS, no other request: no script, font or image files). API Gateway HTTP APIs do not compress, so the raw size is what goes over the wire; gzip is shown for a CDN in front.',
);
out();
out('| page | bytes | gzip | target |');
out('|---|---:|---:|---:|');
const weights = await measurePageWeight();
for (const w of weights)
  out(`| ${w.page} | ${f(w.bytes / 1024, 1)} KB | ${f(w.gzipBytes / 1024, 1)} KB | 20 KB |`);
figures.pageMaxBytes = Math.max(...weights.map((w) => w.bytes));
out();

out('## Campaign send throughput');
out();
const sendRuns = [
  { n: quick ? 100 : 300, rate: 14 },
  { n: quick ? 200 : 600, rate: 10_000 },
];
out(
  "A campaign of email invitations through `npm start`'s runtime: contacts imported through the API, `POST /v1/campaigns/{id}/start`, audience pages and invitations through the SQS queue to the sender Lambda workers (maximum concurrency 2), DynamoDB Local, and the local SES (raw MIME with List-Unsubscribe, configuration set, tags). Timed from the start request until SES took the last invitation; the steady rate runs from the first invitation to the last.",
);
out();
out('| invitations | sendRatePerSecond | total time | first invitation after | overall | steady rate |');
out('|---:|---:|---:|---:|---:|---:|');
let emailBytes = { html: 0, text: 0 };
for (const r of sendRuns) {
  const s = await measureSends(r.n, r.rate);
  emailBytes = { html: s.emailHtmlBytes, text: s.emailTextBytes };
  if (s.paced) figures.paced = { rate: s.paced, steady: s.steadyPerSecond };
  out(
    `| ${f(s.invitations)} | ${s.paced ? f(s.paced) : 'unpaced'} | ${f(s.seconds, 1)} s | ${f(s.firstAfterSeconds, 1)} s | ${f(s.perSecond, 1)}/s | ${f(s.steadyPerSecond, 1)}/s |`,
  );
}
out();
out(
  `Paced, the senders hold the configured rate (the SES quota of a new production account is 14 per second); unpaced, the figure is what two senders do against DynamoDB Local here, about seven DynamoDB calls and one SES call per invitation. One invitation email weighs ${f(emailBytes.html / 1024, 1)} KB of HTML and ${f(emailBytes.text / 1024, 1)} KB of text.`,
);
out();

out("## The web app's first screen");
out();
const webApp = await measureWebApp(quick ? 5 : 15);
out(
  `The overview as a phone sees it (bench/web-app.ts): Debian's Chromium, a 390x844 phone viewport, 4x CPU throttling (DevTools Protocol), against \`npm start\`'s runtime with 40 answers; signed in once, then ${webApp.samples} reloads, each timed by the page itself (a MutationObserver) from navigation start until the NPS figure is in the page, and a switch to another period timed from the radio button's change until that period's figures are; then as many loads of the Segments screen, each timing a drill-down from the click on a region until its cities' league table is in the page. No network throttling: the local API answers on loopback.`,
);
out();
out('| measure | p50 | p95 | target |');
out('|---|---:|---:|---:|');
out(`| JavaScript and CSS of the first screen, gzipped | ${f(webApp.gzipBytes / 1024, 1)} KB | | 150 KB |`);
out(
  `| navigation to figures on screen | ${f(webApp.firstFiguresP50Ms)} ms | ${f(webApp.firstFiguresP95Ms)} ms | 1,500 ms |`,
);
out(`| another period to its figures | ${f(webApp.switchP50Ms)} ms | ${f(webApp.switchP95Ms)} ms | 300 ms |`);
out(
  `| a region to its cities (Segments) | ${f(webApp.segmentSwitchP50Ms)} ms | ${f(webApp.segmentSwitchP95Ms)} ms | 300 ms |`,
);
out();
figures.webApp = webApp;

out('## Handler bundles and cold module load');
out();
const { bare, handlers } = await measureBundles(quick ? 7 : 15);
out(
  'Each handler bundled as PulsoFunction bundles it (esbuild, ESM, minified, AWS SDK inside, for Node 24), next to a bundle that only creates a DynamoDB client. Load time: median of fresh `node` processes importing the bundle (the module-load part of a cold start).',
);
out();
out('| bundle | minified | gzip | load p50 | vs bare client |');
out('|---|---:|---:|---:|---:|');
for (const b of [bare, ...handlers]) {
  out(
    `| ${b.name} | ${f(b.bytes / 1024)} KB | ${f(b.gzipBytes / 1024)} KB | ${f(b.loadMsP50, 1)} ms | ${f(b.loadVsBare, 2)}x |`,
  );
}
out();

out('## Comment sentiment');
out();
const sentiment = measureSentiment();
if (sentiment.length === 0)
  out(`No labelled data at ${DATASETS}: the sentiment figures need the shared datasets (measuring only).`);
else {
  out(
    `Against the public labelled sets in \`../shared/datasets/sentiment\` (their dev parts; read for measuring only, never copied here): binary accuracy on negative against positive (neutral left out, by the reading's lean) and 3-class macro-F1, for the built-in baseline and for the classifier a deployment learns from its own score-labelled comments (trained on each file's star scores, or its labels where it has none, by ${5}-fold cross-validation: never read on a row it trained on). A comment costs what the analysis Lambda spends reading it: ${ANALYSIS_MB} MB x its milliseconds at the arm64 price.`,
  );
  out();
  out(
    '| file | comments | baseline binary | baseline macro-F1 | learned binary | learned macro-F1 | ms per comment (baseline / learned) | $ per 1,000 comments (learned) | training, ms per 1,000 comments |',
  );
  out('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const m of sentiment)
    out(
      `| ${m.file} | ${f(m.baseline.comments)} | ${f(m.baseline.binary, 3)} | ${f(m.baseline.macroF1, 3)} | ${f(m.learned.binary, 3)} | ${f(m.learned.macroF1, 3)} | ${f(m.baselineMs, 3)} / ${f(m.learnedMs, 3)} | ${(1000 * (m.learnedMs / 1000) * (ANALYSIS_MB / 1024) * PRICES.lambdaArmGbSecond).toExponential(2)} | ${f(m.trainMsPer1000)} |`,
    );
  out();
}
{
  // What storing the reading costs: the same comments put with and without it (the write-unit workload above).
  const w = figures.wcu1000;
  const extra = (w?.withComment ?? 0) - (w?.withCommentUnread ?? 0);
  out(
    `A comment is read inside the function that takes its response (no extra write, no third stream reader): the reading adds ${f(extra, 3)} write units to the response's put (${f(w?.withComment ?? 0, 3)} with it, ${f(w?.withCommentUnread ?? 0, 3)} without, measured above), $${(1000 * extra * PRICES.dynamoWriteUnit).toExponential(2)} per 1,000 comments; its counters ride on the aggregate writes counted above. Amazon Comprehend (opt-in) would add its own price: sentiment and key phrases at 3 units of $0.0001 each at least, $0.60 per 1,000 comments.`,
  );
  out();
}

const met = (ok: boolean) => (ok ? 'met' : '**not met**');
const sizes = handlers.map((h) => h.bytes / 1024);
const loads = handlers.map((h) => h.loadVsBare);
out('## Against the targets');
out();
out('| target | measured | |');
out('|---|---|---|');
for (const m of sentiment) {
  const target = m.file === 'en-uci' ? 0.8 : 0.85;
  const best = Math.max(m.baseline.binary, m.learned.binary);
  out(
    `| ${m.file} sentiment binary accuracy >= ${target} | baseline ${f(m.baseline.binary, 3)}, learned ${f(m.learned.binary, 3)} | ${met(best >= target)}${m.baseline.binary >= target ? '' : ' (learned only)'} |`,
  );
}
out(
  `| ingest >= 0.8 of raw PutItem | ${f(figures.ingestRatio ?? 0, 2)} | ${met((figures.ingestRatio ?? 0) >= 0.8)} |`,
);
out(
  `| aggregate writes within 5% of the floor | ${f(figures.vsFloorMax ?? 0, 3)}x the floor at worst | ${met((figures.vsFloorMax ?? 9) <= 1.05)} |`,
);
out(
  `| <= 1.15 write units in total at batch 1,000 for a response without a comment | ${f(figures.wcu1000?.total ?? 0, 3)} (${f(figures.wcu1000?.ingest ?? 0, 3)} ingest + ${f(figures.wcu1000?.agg ?? 0, 3)} aggregates + ${f(figures.wcu1000?.lanes ?? 0, 3)} lane starts; with a comment the ingest is ${f(figures.wcu1000?.withComment ?? 0, 3)}) | ${met((figures.wcu1000?.total ?? 9) <= 1.15)} |`,
);
const at = (rate: number) => figures.rates?.find((r) => r.ratePerSecond === rate);
const wcuTarget = (rate: number, max: number) => {
  const r = at(rate);
  return `| <= ${max} write units per response at ${rate} answer${rate === 1 ? '' : 's'}/s, aggregates <= 30 s late p95 | ${f(r?.totalUnits ?? 0, 3)}, ${f(r?.lateP95 ?? 0, 1)} s | ${met((r?.totalUnits ?? 9) <= max && (r?.lateP95 ?? 99) <= 30)} |`;
};
out(wcuTarget(1, 2.0));
out(wcuTarget(100, 1.3));
if (figures.web)
  out(
    `| <= 2 write units per web answer (response and rate limits) | ${f(figures.web.totalUnits, 2)} (${f(figures.web.responseUnits, 2)} response + ${f(figures.web.rateLimitUnits, 2)} rate limits) | ${met(figures.web.totalUnits <= 2)} |`,
  );
if (figures.viral)
  out(
    `| at 10,000 answers/s on one survey, the hottest aggregate item within a partition's 1,000 write units/s | ${f(figures.viral.hotItemUnitsPerSecond)} write units/s on ${f(figures.viral.shards)} shards | ${met(figures.viral.hotItemUnitsPerSecond <= 1000)} |`,
  );
out(
  `| p95 response to aggregate <= 1 s locally (window 0) | ${f(figures.aggP95 ?? 0)} ms | ${met((figures.aggP95 ?? 9e9) <= 1000)} |`,
);
out(
  `| p95 response to alert <= 1.5 s locally | ${f(figures.alertP95 ?? 0)} ms | ${met((figures.alertP95 ?? 9e9) <= 1500)} |`,
);
out(
  `| survey page <= 20 KB on the wire | ${f((figures.pageMaxBytes ?? 0) / 1024, 1)} KB at most | ${met((figures.pageMaxBytes ?? 9e9) <= 20 * 1024)} |`,
);
out(
  `| sending holds the SES rate | ${f(figures.paced?.steady ?? 0, 1)}/s steady at sendRatePerSecond ${f(figures.paced?.rate ?? 0)} | ${met((figures.paced?.steady ?? 0) <= (figures.paced?.rate ?? 0) * 1.05 && (figures.paced?.steady ?? 0) >= (figures.paced?.rate ?? 0) * 0.8)} |`,
);
if (figures.webApp) {
  const w = figures.webApp;
  out(
    `| the web app's first screen <= 150 KB gzipped | ${f(w.gzipBytes / 1024, 1)} KB | ${met(w.gzipBytes <= 150 * 1024)} |`,
  );
  out(
    `| its figures within 1.5 s at 4x CPU throttling | ${f(w.firstFiguresP95Ms)} ms p95 | ${met(w.firstFiguresP95Ms <= 1500)} |`,
  );
  out(
    `| a segment switch within 300 ms | ${f(w.segmentSwitchP95Ms)} ms p95 (a period switch ${f(w.switchP95Ms)} ms) | ${met(w.segmentSwitchP95Ms <= 300)} |`,
  );
}
out(
  `| each handler bundle <= 300 KB minified | ${f(Math.min(...sizes))}-${f(Math.max(...sizes))} KB (bare client ${f(bare.bytes / 1024)} KB) | ${met(Math.max(...sizes) <= 300)} |`,
);
out(
  `| cold module load <= 1.5x the bare client bundle | ${f(Math.min(...loads), 2)}-${f(Math.max(...loads), 2)}x | ${met(Math.max(...loads) <= 1.5)} |`,
);
out();
const overTarget = handlers.filter((h) => h.bytes / 1024 > 300);
const customerFacing = handlers.filter((h) => ['survey-page', 'submit-response', 'webhook'].includes(h.name));
out(
  `Bundles use the Lambda credential alias (the environment-variable provider Lambda uses, instead of the default chain's SSO, STS and login clients). Over 300 KB: ${overTarget.map((h) => `${h.name} (${f(h.bytes / 1024)} KB)`).join(', ') || 'none'}. The alerter carries the SNS and SES clients; surveys carries the QR code library (admin only, no customer waits on it); the sender carries the SES and SNS clients and nodemailer's MIME composer (it works off a queue). The handlers customers wait on: ${customerFacing.map((h) => `${h.name} ${f(h.bytes / 1024)} KB`).join(', ')}.`,
);
out();
out(
  `This run took ${f((Date.now() - benchStarted) / 60_000)} minutes on this machine (\`npm run bench -- --quick\` takes smaller samples); \`npm run bench -- --write\` rewrites this page with its figures.`,
);

if (write) {
  writeFileSync(new URL('../docs/performance.md', import.meta.url), `${lines.join('\n')}\n`);
  console.log('\ndocs/performance.md written');
}
process.exit(0);
