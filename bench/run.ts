/**
 * npm run bench: figures for docs/performance.md, measured on this machine's local engines.
 * `npm run bench -- --write` also rewrites docs/performance.md with them.
 */

import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { startDynamoDb } from '../local/engines/dynamodb.ts';
import { startRuntime } from '../local/runtime.ts';
import { measureBundles } from './bundles.ts';
import { measureIngest } from './ingest.ts';
import { measureLatency } from './latency.ts';
import { measureWriteUnits } from './write-units.ts';

const write = process.argv.includes('--write');
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

const ddb = await startDynamoDb({ port: 0 });
try {
  out('## Ingest throughput');
  out();
  const ingest = await measureIngest(ddb.endpoint, quick ? 800 : 2_000, 16);
  out(
    `POST /v1/responses through the real handler (validation, survey lookup, conditional put) next to a bare PutItem of the same item, ${f(ingest.requests)} requests per round, concurrency ${ingest.concurrency}, median of 3 alternating rounds, on one DynamoDB Local.`,
  );
  out();
  out('| path | responses/s |');
  out('|---|---:|');
  out(`| raw PutItem | ${f(ingest.rawPutsPerSecond)} |`);
  out(`| handler | ${f(ingest.handlerPerSecond)} |`);
  out(`| **ratio** (target >= 0.8) | **${f(ingest.ratio, 2)}** |`);
  out();

  out('## DynamoDB write units per response');
  out();
  out(
    `Workload: ${f(RESPONSES)} responses (NPS, CSAT, CES, a comment on one in four) across 100 stores in 5 regions and 3 channels, one day; segments all, region, store, channel. Responses are stored through the response adapter; the stream is read from DynamoDB Local and folded in batches by the real aggregator code (fold-batch with the DynamoDB adapters).`,
  );
  out();
  out(
    '| batch size | ingest | aggregates | lane starts | **total** | aggregate floor | aggregates vs floor | naive design total |',
  );
  out('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const batch of [100, 1_000]) {
    const w = await measureWriteUnits(ddb.endpoint, RESPONSES, batch);
    out(
      `| ${f(batch)} | ${f(w.ingestUnitsPerResponse, 3)} | ${f(w.aggregateUnitsPerResponse, 3)} | ${f(w.laneUnitsPerResponse, 3)} | **${f(w.totalUnitsPerResponse, 3)}** | ${f(w.floorUnitsPerResponse, 3)} | ${f(w.aggregateVsFloor, 3)}x | ${f(w.naiveUnitsPerResponse, 3)} |`,
    );
  }
  out();
  out(
    'The floor is one write per aggregate item per batch. The naive design updates every aggregate item of a response once per response (and still double counts on retries).',
  );
  out();
} finally {
  await ddb.stop();
}

out('## Latency on the local pipeline');
out();
const runtime = await startRuntime({ ports: { api: 0, dynamodb: 0, ses: 0, sns: 0 }, quiet: true });
try {
  const samples = quick ? 20 : 60;
  const table = Object.values(runtime.tableNames)[0] ?? '';
  const l = await measureLatency(
    {
      apiUrl: runtime.apiUrl,
      dynamodbEndpoint: runtime.dynamodbEndpoint,
      snsInboxUrl: runtime.snsInboxUrl,
      tableName: table,
    },
    samples,
  );
  out(
    `${samples} detractor responses through \`npm start\`'s runtime (HTTP API emulation, Lambda workers, stream pollers reading DynamoDB Local's stream), one at a time; time from the API's answer until the day's aggregate counts the response, and until its alert is in the SNS inbox.`,
  );
  out();
  out('| from the response to | p50 | p95 | target p95 |');
  out('|---|---:|---:|---:|');
  out(`| aggregate visible | ${f(l.aggregateP50Ms)} ms | ${f(l.aggregateP95Ms)} ms | 1,000 ms |`);
  out(`| alert published | ${f(l.alertP50Ms)} ms | ${f(l.alertP95Ms)} ms | 1,500 ms |`);
  out();
} finally {
  await runtime.stop();
}

out('## Handler bundles and cold module load');
out();
const { bare, handlers } = await measureBundles(quick ? 7 : 15);
out(
  'Each handler bundled as PulsoFunction bundles it (esbuild, ESM, minified, AWS SDK inside; built for Node 20 here so it loads on this machine), next to a bundle that only creates a DynamoDB client. Load time: median of fresh `node` processes importing the bundle (the module-load part of a cold start).',
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

if (write) {
  writeFileSync(new URL('../docs/performance.md', import.meta.url), `${lines.join('\n')}\n`);
  console.log('\ndocs/performance.md written');
}
process.exit(0);
