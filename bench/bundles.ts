import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { CREDENTIAL_CHAIN, LAMBDA_CREDENTIALS } from '#lib/pulso-function.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, '.local', 'bench', 'bundles');
const BANNER =
  "import { createRequire as __pulsoCreateRequire } from 'node:module'; const require = __pulsoCreateRequire(import.meta.url);";

export interface BundleFigure {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly loadMsP50: number;
  readonly loadVsBare: number;
}

/** Bundles like PulsoFunction does (ESM, minified, AWS SDK inside, Lambda credentials, for Node 24). */
async function bundle(entry: string, name: string, lambdaCredentials = true): Promise<string> {
  const outfile = join(OUT, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    alias: lambdaCredentials ? { [CREDENTIAL_CHAIN]: LAMBDA_CREDENTIALS } : {},
    logLevel: 'silent',
  });
  return outfile;
}

/** Median time to import the bundle in a fresh Node process: the module-load part of a cold start. */
function loadMs(file: string, runs: number): number {
  const env = {
    ...process.env,
    TABLE_NAME: 'bench',
    ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:bench',
    MAIL_FROM: 'bench@example.com',
    CAMPAIGN_QUEUE_URL: 'http://localhost/000000000000/bench',
    SES_CONFIGURATION_SET: 'bench',
    SEND_RATE: '14',
    SENDER_CONCURRENCY: '2',
    PUBLIC_URL: 'http://localhost/',
    APP_URL: 'http://localhost/app/',
    EXPORTS_BUCKET: 'bench',
    EXPORT_QUEUE_URL: 'http://localhost/000000000000/bench-exports',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_SERVICE_NAME: 'pulso',
    LOG_LEVEL: 'ERROR',
  };
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.push(
      Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env }).toString()),
    );
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export async function measureBundles(runs = 15): Promise<{ bare: BundleFigure; handlers: BundleFigure[] }> {
  mkdirSync(OUT, { recursive: true });
  const bareEntry = join(OUT, 'bare-entry.mjs');
  writeFileSync(
    bareEntry,
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n",
  );
  const figure = (name: string, file: string, bareMs?: number): BundleFigure => {
    const bytes = statSync(file).size;
    const ms = loadMs(file, runs);
    return {
      name,
      bytes,
      gzipBytes: gzipSync(readFileSync(file)).length,
      loadMsP50: ms,
      loadVsBare: bareMs ? ms / bareMs : 1,
    };
  };
  // The reference is the plain client, default credential chain included.
  const bare = figure('bare DynamoDB client', await bundle(bareEntry, 'bare', false));
  const dir = join(ROOT, 'lambdas', 'handlers');
  const handlers: BundleFigure[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const name = basename(file, '.ts');
    handlers.push(figure(name, await bundle(join(dir, file), name), bare.loadMsP50));
  }
  return { bare, handlers };
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  const { bare, handlers } = await measureBundles();
  for (const f of [bare, ...handlers]) {
    console.log(
      `${f.name.padEnd(22)} ${(f.bytes / 1024).toFixed(0).padStart(5)} KB  gzip ${(f.gzipBytes / 1024).toFixed(0).padStart(4)} KB  load p50 ${f.loadMsP50.toFixed(1).padStart(6)} ms  x${f.loadVsBare.toFixed(2)}`,
    );
  }
}
