// `npm start`: the whole stack on this machine, read from the synthesized template.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import qrcode from 'qrcode-terminal';
import { seesEverything } from '#routes/roles.ts';
import { buildWeb } from '../web/build.ts';
import { JavaMissingError } from './engines/dynamodb.ts';
import { seedHistory } from './history.ts';
import { PortInUseError } from './ports.ts';
import { type Runtime, startRuntime } from './runtime.ts';
import { ROOT } from './template/index.ts';

const STATE_DIR = join(ROOT, '.local');
const RUNTIME_FILE = join(STATE_DIR, 'runtime.json');

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name} must be a port number from 0 to 65535, not "${raw}"`);
    process.exit(1);
  }
  return port;
}

function lanAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}

// A 90-day history of the demo survey, unless asked for an empty start.
const history =
  !process.argv.includes('--no-history') &&
  !['0', 'false', 'no', 'off'].includes((process.env.PULSO_HISTORY ?? '').toLowerCase());

const persist =
  process.argv.includes('--persist') ||
  ['1', 'true', 'yes'].includes((process.env.PULSO_PERSIST ?? '').toLowerCase());

let runtime: Runtime;
// A phone can only open the survey and the web app through this machine's network address, which needs
// PULSO_HOST=0.0.0.0; the web app's address and its sign-in issuer then use that address.
const bindsAll = ['0.0.0.0', '::'].includes(process.env.PULSO_HOST ?? '');
const lan = bindsAll ? lanAddress() : undefined;

const started = Date.now();
try {
  // The web app is rebuilt at each start (well under a second), so it never lags behind the code.
  await buildWeb();
  runtime = await startRuntime({
    ports: {
      api: portFromEnv('PULSO_API_PORT', 3000),
      dynamodb: portFromEnv('PULSO_DYNAMODB_PORT', 8000),
      ses: portFromEnv('PULSO_SES_PORT', 8005),
      sns: portFromEnv('PULSO_SNS_PORT', 9911),
      sqs: portFromEnv('PULSO_SQS_PORT', 9912),
      oidc: portFromEnv('PULSO_OIDC_PORT', 9913),
      s3: portFromEnv('PULSO_S3_PORT', 9914),
      lambda: portFromEnv('PULSO_LAMBDA_PORT', 9915),
      graph: portFromEnv('PULSO_GRAPH_PORT', 9916),
    },
    persist,
    host: process.env.PULSO_HOST || undefined,
    ...(lan ? { publicHost: lan } : {}),
    stateDir: STATE_DIR,
  });
  if (history) {
    const seeded = Date.now();
    const written = await seedHistory({
      dynamodbEndpoint: runtime.dynamodbEndpoint,
      tableName: runtime.tableName,
      region: runtime.region,
    });
    // The stream folds it into the figures (and the last days' bad answers into cases) before the app opens.
    await runtime.idle(180_000);
    if (written > 0)
      console.log(
        `[pulso] seeded 90 days of answers to the demo survey (${written}, folded in ${((Date.now() - seeded) / 1000).toFixed(1)} s; npm start -- --no-history starts empty)`,
      );
  }
} catch (err) {
  if (err instanceof JavaMissingError || err instanceof PortInUseError) {
    console.error(`\n${err.message}\n`);
  } else {
    console.error('\nThe local runtime did not start:', err);
  }
  process.exit(1);
}

const surveyUrl = `${runtime.apiUrl}s/demo`;
const dashboardUrl = `${runtime.apiUrl}v1/surveys/demo/metrics?window=7d`;
const info = {
  appUrl: runtime.appUrl,
  apiUrl: runtime.apiUrl,
  surveyUrl,
  dashboardUrl,
  adminToken: runtime.adminToken,
  oidcIssuer: runtime.oidc.issuer,
  users: runtime.people.map(({ username, password, role, name, email, locale, places, accessToken }) => ({
    username,
    password,
    role,
    // Every place for an admin or an analyst; the places granted at start for the others.
    places: places ?? (seesEverything(role) ? null : []),
    name,
    email,
    locale,
    accessToken,
  })),
  mailboxUrl: runtime.mailboxUrl,
  sesUrl: runtime.sesUrl,
  snsInboxUrl: runtime.snsInboxUrl,
  snsUrl: runtime.snsUrl,
  sqsUrl: runtime.sqsUrl,
  s3Url: runtime.s3Url,
  bucketNames: runtime.bucketNames,
  queueUrls: runtime.queueUrls,
  dynamodbEndpoint: runtime.dynamodbEndpoint,
  region: runtime.region,
  tableName: runtime.tableName,
  topicArns: runtime.topicArns,
  webhookSecrets: runtime.webhookSecrets,
  vendors: runtime.vendors,
  whatsapp: runtime.whatsapp,
  sms: runtime.sms,
  persist,
  pid: process.pid,
  startedAt: new Date().toISOString(),
};
mkdirSync(STATE_DIR, { recursive: true });
writeFileSync(RUNTIME_FILE, `${JSON.stringify(info, null, 2)}\n`);

const phoneUrl = lan
  ? surveyUrl.replace(/^http:\/\/[^/]+/, `http://${lan}:${new URL(runtime.apiUrl).port}`)
  : surveyUrl;
const phoneHint = lan
  ? `QR code for phones on this network: ${phoneUrl}`
  : 'To open it from a phone, start with PULSO_HOST=0.0.0.0 and scan the QR code then printed.';
const qr = await new Promise<string>((resolve) => qrcode.generate(phoneUrl, { small: true }, resolve));
const people = runtime.people.map((p) => `    ${p.role.padEnd(8)} ${p.username} / ${p.password}`).join('\n');
const secrets = Object.entries(runtime.webhookSecrets)
  .map(([source, secret]) => `  Webhook secret (${source}):`.padEnd(28) + secret)
  .join('\n');
console.log(`
Pulso is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s${persist ? ', data kept in .local/ddb' : ''}).

  Web app (CX team):        ${runtime.appUrl}
  Sign in as (OpenID provider ${runtime.oidc.issuer}):
${people}
  Survey page:              ${surveyUrl}
${qr.replace(/^/gm, '    ')}
                            ${phoneHint}
  Dashboard (admin API):    ${dashboardUrl}
                            curl -H "Authorization: Bearer $(node -p "require('./.local/runtime.json').adminToken")" '${dashboardUrl}'
  Mailbox (SES):            ${runtime.mailboxUrl}
  SNS inbox:                ${runtime.snsInboxUrl}
  WhatsApp inbox:           ${runtime.graph.url}
  SQS (queues):             ${runtime.sqsUrl}
  S3 (export files):        ${runtime.s3Url}
  API:                      ${runtime.apiUrl}
  DynamoDB Local:           ${runtime.dynamodbEndpoint}  (table ${runtime.tableName})
  Admin token:              ${runtime.adminToken.slice(0, 24)}...  (a JWT of ${runtime.people.find((p) => p.role === 'admin')?.username}; in .local/runtime.json)
${secrets}

  Written to .local/runtime.json. Press Ctrl-C to stop.
`);

// First requests should not pay for loading TypeScript; warm every function in the background.
runtime.warm().catch(() => undefined);

let stoppingSince: number | undefined;
async function shutdown(signal: string): Promise<void> {
  if (stoppingSince !== undefined) {
    // Ctrl-C reaches this process both from the terminal and relayed by npm and tsx: only a later one counts.
    if (Date.now() - stoppingSince < 3000) return;
    console.error(`\n${signal} again: exiting without a clean stop`);
    process.exit(1);
  }
  stoppingSince = Date.now();
  console.log(`\n${signal}: stopping the local runtime...`);
  try {
    await runtime.stop();
    rmSync(RUNTIME_FILE, { force: true });
    console.log('Stopped.');
    process.exit(0);
  } catch (err) {
    console.error('Stop failed:', err);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
