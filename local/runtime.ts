import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { type ApiServer, startApi } from './api.ts';
import { type AsyncFailure, AsyncInvoker } from './async-invoke.ts';
import { type Clock, sleep, systemClock } from './clock.ts';
import { type DlqEntry, LocalDlq, queueNameOfArn } from './dlq.ts';
import { type DynamoDbEngine, findJava, startDynamoDb } from './engines/dynamodb.ts';
import { type GraphEngine, startGraphEngine } from './engines/graph.ts';
import { type LambdaApi, startLambdaApi } from './engines/lambda.ts';
import { API_RESOURCE, APP_SCOPES, type LocalOidc, type SignedIn, startOidc } from './engines/oidc.ts';
import { type S3Engine, startS3 } from './engines/s3.ts';
import { type SentMail, type SesEngine, startSes } from './engines/ses.ts';
import { type SnsEngine, type SnsMessage, startSns } from './engines/sns.ts';
import { type SqsEngine, startSqs } from './engines/sqs/index.ts';
import { LambdaHost } from './invoke.ts';
import { jwtAuthorizer } from './jwt-authorizer.ts';
import { DEMO_PEOPLE, type DemoPerson } from './people.ts';
import { QueueFiles } from './queue-files.ts';
import { QueuePollers } from './queue-pollers.ts';
import { type ScheduleMode, Schedules } from './schedules.ts';
import type { SeedContext, Seeded, SeededSms, SeededVendors, SeededWhatsApp } from './seed.ts';
import { SesEventPublisher } from './ses-events.ts';
import { SnsDeliveries } from './sns-deliveries.ts';
import { Checkpoints, type RedriveResult, StreamPollers } from './streams.ts';
import {
  type CfnTemplate,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  type LocalFunction,
  type LocalQueue,
  type LocalRule,
  type LocalTable,
  ROOT,
  readStack,
  synthesizeTemplate,
} from './template/index.ts';

export interface SignedInPerson extends DemoPerson {
  readonly accessToken: string;
}

export interface RuntimePorts {
  readonly api: number;
  readonly dynamodb: number;
  readonly ses: number;
  readonly sns: number;
  readonly sqs: number;
  readonly oidc: number;
  readonly s3: number;
  /** The Lambda Invoke API of the stack's functions (AWS_ENDPOINT_URL_LAMBDA). */
  readonly lambda: number;
  /** The WhatsApp Graph API Pulso sends to locally. */
  readonly graph: number;
}

/** The seeding hook: writes demo data and answers with the webhook secrets it made (see local/seed.ts). */
export type SeedFn = (ctx: SeedContext) => Promise<Partial<Seeded>>;

/** The demo two-way SMS number of `.local/runtime.json` (`sms`). */
export interface LocalSms extends SeededSms {
  /** Where End User Messaging SMS would publish a customer's message (the stack's InboundSmsTopic). */
  readonly inboundTopicArn: string;
  /** The SNS engine's sent messages, as JSON: what Pulso texted. */
  readonly messagesUrl: string;
}

/** The demo vendors of `.local/runtime.json` (`vendors`). */
export interface LocalVendors extends SeededVendors {
  readonly connect: { readonly functionName: string; readonly lambdaEndpoint: string };
}

export interface RuntimeOptions {
  /** 0 picks a free port. @default every port 0 */
  readonly ports?: Partial<RuntimePorts>;
  /** Keep tables, stream checkpoints and queue messages in `stateDir` between runs. @default false */
  readonly persist?: boolean;
  /** No logs from the runtime or the handlers. @default false */
  readonly quiet?: boolean;
  /** Address the API, SES, SNS and SQS servers bind to. @default '127.0.0.1' */
  readonly host?: string;
  /**
   * The name or address other devices reach this machine by (with `host` 0.0.0.0): the web app's URL and the
   * sign-in issuer use it, so a phone on the network can sign in. @default the loopback address
   */
  readonly publicHost?: string;
  /**
   * Folder for persisted tables, checkpoints, failure queue files (`dlq/<queue>.jsonl`, written even without
   * `persist`) and, with `persist`, the other queues' files (`sqs/<queue>.jsonl`).
   * @default '<repo>/.local' with `persist`, else a temporary folder removed by stop()
   */
  readonly stateDir?: string;
  /** Template to run. @default the stack synthesized from lib/ */
  readonly template?: CfnTemplate;
  /** Folder that `pulso:entry` paths are relative to. @default the repository root */
  readonly root?: string;
  /** Seeding hook, or false for none. @default seed() from local/seed.ts */
  readonly seed?: SeedFn | false;
  /** The web app's build, served under `/app/` when it exists. @default '<root>/web/dist' */
  readonly appDir?: string;
  /** Containers per function at most. @default 4 */
  readonly maxConcurrency?: number;
  /** Pause between polls of a caught-up stream shard. @default 100 */
  readonly pollIntervalMs?: number;
  /** Pause before retry `attempt` of a failed stream batch. @default 50 ms doubling, at most 1 s */
  readonly retryDelayMs?: (attempt: number) => number;
  /**
   * `run` fires the template's scheduled rules (rate expressions) on their schedule; `manual` only through
   * runSchedule(), so tests decide when "the hour" comes. @default 'run'
   */
  readonly schedules?: ScheduleMode;
  /**
   * Pause before retry `attempt` (1, 2) of a failed asynchronous invocation (SNS deliveries, scheduled rules).
   * @default 1 s, then 2 s (Lambda waits about 1 and 2 minutes)
   */
  readonly asyncRetryDelayMs?: (attempt: number) => number;
  /** Pause between a send through a configuration set and each of its SES events. @default 5 */
  readonly sesEventDelayMs?: number;
  /**
   * The time the engines emulate: SQS visibility timeouts, delays, retention and deduplication, queue mappings'
   * batching windows, SNS and SES timestamps, SES event pauses, async retry pauses and rate schedules. A
   * ManualClock (local/clock.ts) moves only when a test advances it. Stream pollers and idle() keep real time
   * (DynamoDB Local stamps its records with it). @default the system clock
   */
  readonly clock?: Clock;
}

export interface Runtime {
  /** Base URL of the API, ending in `/`. */
  readonly apiUrl: string;
  readonly dynamodbEndpoint: string;
  /** SES endpoint; its root page is the mailbox and `GET /store` lists the mails as JSON. */
  readonly sesUrl: string;
  readonly mailboxUrl: string;
  /** SNS endpoint; `GET /` is the inbox page, `GET /messages` the messages as JSON. */
  readonly snsUrl: string;
  readonly snsInboxUrl: string;
  /** SQS endpoint (AWS JSON 1.0); `GET /` lists the queues and their counts (JSON with Accept: application/json). */
  readonly sqsUrl: string;
  /** S3 endpoint (export files), path-style: `<s3Url>/<bucket>/<key>`. */
  readonly s3Url: string;
  /** The Lambda Invoke API of the stack's functions, for AWS_ENDPOINT_URL_LAMBDA or @aws-sdk/client-lambda. */
  readonly lambdaUrl: string;
  /** The demo WhatsApp number and the local Graph API it sends to (`.local/runtime.json`'s `whatsapp`). */
  readonly whatsapp?: SeededWhatsApp;
  /** The local Graph API: what Pulso sent on WhatsApp, and a way to reply as a customer. */
  readonly graph: GraphEngine;
  /**
   * The demo two-way SMS number (`.local/runtime.json`'s `sms`): what Pulso texts is in the SNS inbox
   * (`messagesUrl`, JSON); a customer's reply is End User Messaging's JSON published to `inboundTopicArn`.
   */
  readonly sms?: LocalSms;
  /** Local bucket names by logical id and by construct id (e.g. `Files`). */
  readonly bucketNames: Readonly<Record<string, string>>;
  /** The CX team's web app (`<apiUrl>app/`). */
  readonly appUrl: string;
  readonly region: string;
  /** The admin demo person's access token (a JWT of the local OpenID provider), for scripts and tests. */
  readonly adminToken: string;
  /** The local OpenID provider: `issuer` is what the API's JWT authorizer trusts locally. */
  readonly oidc: { readonly issuer: string; readonly clientId: string };
  /** The demo people, each signed in once through the provider, with an access token ready for scripts. */
  readonly people: readonly SignedInPerson[];
  /** Signs a person in through the provider (authorization code with PKCE), as the web app does. */
  signIn(username: string, password: string): Promise<SignedIn>;
  /** Local table names by logical id and by construct id (e.g. `Table`). */
  readonly tableNames: Readonly<Record<string, string>>;
  /** The main table (construct id `Table`, else the first one). */
  readonly tableName: string;
  /** Local topic ARNs by logical id and by construct id (e.g. `AlertsTopic`). */
  readonly topicArns: Readonly<Record<string, string>>;
  /** Local queue names by logical id and by construct id (e.g. `AggregatorDlq`). */
  readonly queueNames: Readonly<Record<string, string>>;
  /** Local queue URLs (of the SQS engine) by logical id and by construct id. */
  readonly queueUrls: Readonly<Record<string, string>>;
  /** Standard Webhooks secrets per source, from the seeding hook. */
  readonly webhookSecrets: Readonly<Record<string, string>>;
  /**
   * The demo vendors: where Twilio and Zendesk post and the secret each signs with; the function a contact flow
   * invokes and the Invoke API that answers for it (Amazon Connect).
   */
  readonly vendors?: LocalVendors;
  readonly functions: readonly LocalFunction[];
  /** Template problems that do not stop the runtime (unsupported routes, mappings). */
  readonly warnings: readonly string[];
  /** Milliseconds from the call to startRuntime until everything answered. */
  readonly startupMs: number;
  /** Invokes a function (logical id, construct id such as `Aggregator`, or name) with an event. */
  invoke(fn: string, event: unknown): Promise<unknown>;
  /**
   * Resolves when every stream poller has caught up, every queue an SQS mapping reads is empty (delayed and
   * in-flight messages count as pending) and no batch is being processed, all at once.
   */
  streamsIdle(timeoutMs?: number): Promise<void>;
  /** Resolves when every queue an SQS mapping reads is empty and no batch of theirs is being processed. */
  queuesIdle(timeoutMs?: number): Promise<void>;
  /**
   * Resolves when everything is done at once: streams and queues as streamsIdle(), no SES event waiting to be
   * published, no SNS delivery to a function and no scheduled run in flight (retries and their pauses count).
   */
  idle(timeoutMs?: number): Promise<void>;
  /**
   * Invokes the Lambda targets of a scheduled rule (logical id, construct id or name), or the rules that target a
   * function (logical id, construct id or name), now, with the scheduled event's `time` set to `opts.time`.
   * Resolves when the invocations ended; rejects when one failed every try.
   */
  runSchedule(ruleOrFunction: string, opts?: { time?: Date }): Promise<void>;
  /** The template's scheduled rules. */
  readonly rules: readonly LocalRule[];
  /** Mails sent through the SES endpoint, with their configuration set, tags and headers. */
  sesMessages(): readonly SentMail[];
  /** Asynchronous invocations (SNS deliveries, scheduled runs) that failed every try. */
  asyncFailures(): readonly AsyncFailure[];
  /** Messages of one failure queue (by name, logical id or construct id), or of all. */
  dlqMessages(queue?: string): DlqEntry[];
  redrive(queue: string): Promise<RedriveResult>;
  snsMessages(): readonly SnsMessage[];
  /** Starts one container per function ahead of the first request. */
  warm(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local, SES, SNS, SQS, the functions, the stream and queue pollers and the API, all read from
 * the template.
 */
export async function startRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  const started = Date.now();
  const ports: RuntimePorts = {
    api: 0,
    dynamodb: 0,
    ses: 0,
    sns: 0,
    sqs: 0,
    oidc: 0,
    s3: 0,
    lambda: 0,
    graph: 0,
    ...opts.ports,
  };
  const host = opts.host ?? '127.0.0.1';
  const root = opts.root ?? ROOT;
  // Without persistence and without a folder, each runtime keeps its DLQ files in its own temporary folder, so
  // parallel test runtimes and a running `npm start` never share (or truncate) each other's files.
  const ownStateDir =
    !opts.stateDir && !opts.persist ? mkdtempSync(join(tmpdir(), 'pulso-local-')) : undefined;
  const stateDir = opts.stateDir ?? ownStateDir ?? join(ROOT, '.local');
  const log = opts.quiet ? () => undefined : (message: string) => console.log(`[pulso] ${message}`);
  const region = LOCAL_REGION;
  const clock = opts.clock ?? systemClock;

  let dynamo: DynamoDbEngine | undefined;
  let ses: SesEngine | undefined;
  let sns: SnsEngine | undefined;
  let sqs: SqsEngine | undefined;
  let s3: S3Engine | undefined;
  let api: ApiServer | undefined;
  let lambdaApi: LambdaApi | undefined;
  let graph: GraphEngine | undefined;
  let oidc: LocalOidc | undefined;
  let lambdas: LambdaHost | undefined;
  let pollers: StreamPollers | undefined;
  let queuePollers: QueuePollers | undefined;
  let invoker: AsyncInvoker | undefined;
  let deliveries: SnsDeliveries | undefined;
  let sesEvents: SesEventPublisher | undefined;
  let schedules: Schedules | undefined;
  let dlq: LocalDlq | undefined;
  let queueFiles: QueueFiles | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      schedules?.stop();
      sesEvents?.stop();
      deliveries?.stop();
      invoker?.stop();
      const pollersStopped = Promise.all([pollers?.stop(), queuePollers?.stop()]);
      await lambdas?.stop();
      await pollersStopped;
      dlq?.close();
      queueFiles?.close();
      await Promise.allSettled([
        api?.stop(),
        oidc?.stop(),
        ses?.stop(),
        sns?.stop(),
        sqs?.stop(),
        s3?.stop(),
        lambdaApi?.stop(),
        graph?.stop(),
        dynamo?.stop(),
      ]);
      if (ownStateDir) rmSync(ownStateDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    // Fail before anything starts when Java is missing.
    const java = findJava();
    const engines = Promise.allSettled([
      startDynamoDb({ port: ports.dynamodb, dbPath: opts.persist ? join(stateDir, 'ddb') : undefined, java }),
      startSes({ port: ports.ses, host, clock }),
      startSns({ port: ports.sns, host, region, accountId: LOCAL_ACCOUNT, clock }),
      startSqs({ port: ports.sqs, host, region, accountId: LOCAL_ACCOUNT, clock }),
      startApi({ port: ports.api, host }),
    ]).then((results) => {
      const [d, s, n, q, a] = results;
      // Whatever started is kept so stop() can end it, even when a sibling failed.
      dynamo = d.status === 'fulfilled' ? d.value : undefined;
      ses = s.status === 'fulfilled' ? s.value : undefined;
      sns = n.status === 'fulfilled' ? n.value : undefined;
      sqs = q.status === 'fulfilled' ? q.value : undefined;
      api = a.status === 'fulfilled' ? a.value : undefined;
      return results;
    });
    // Synthesis runs while the JVM starts.
    const template = await (opts.template ? Promise.resolve(opts.template) : synthesizeTemplate()).catch(
      async (err: unknown) => {
        await engines;
        throw err;
      },
    );
    for (const result of await engines) if (result.status === 'rejected') throw result.reason;
    if (!dynamo || !ses || !sns || !sqs || !api) throw new Error('an engine did not start');

    const model = readStack(template, { root });
    const streamArns = await createTables(dynamo.endpoint, region, model.tables);
    for (const topic of model.topics) sns.createTopic(topic.name, topic.attributes);
    createQueues(sqs, model.queues);
    // Export files: the template's buckets, kept under the state folder with `persist`.
    const activeS3 = await startS3({
      port: ports.s3,
      host,
      buckets: model.buckets.map((b) => b.name),
      directory: opts.persist ? join(stateDir, 's3') : undefined,
    });
    s3 = activeS3;
    // Download links are signed for this address, so the browser that asked for them must reach it.
    const s3Url = opts.publicHost
      ? publicUrlOf(activeS3.url, opts.publicHost).replace(/\/$/, '')
      : activeS3.url;
    const local = { apiUrl: api.url, streamArns, sqsUrl: sqs.url, region, accountId: LOCAL_ACCOUNT };
    const functions = model.functions(local);
    const mappings = model.mappings(local);
    const queueMappings = model.queueMappings(local);
    // Failure queues: stream on-failure destinations and redrive policies' dead-letter queues.
    const failureQueues = new Set<string>();
    for (const m of mappings) {
      const name = m.onFailureArn ? queueNameOfArn(m.onFailureArn) : undefined;
      if (name) failureQueues.add(name);
    }
    for (const q of model.queues) if (q.deadLetterQueue) failureQueues.add(q.deadLetterQueue);
    // Where asynchronous invocations (SNS deliveries, scheduled runs) that failed every try end up.
    for (const f of functions) {
      const name = f.asyncOnFailure ? queueNameOfArn(f.asyncOnFailure.queueArn) : undefined;
      if (name) failureQueues.add(name);
    }
    const activeDlq = new LocalDlq(sqs, [...failureQueues], join(stateDir, 'dlq'), opts.persist ?? false);
    dlq = activeDlq;
    if (opts.persist) {
      const others = model.queues.map((q) => q.name).filter((name) => !failureQueues.has(name));
      queueFiles = new QueueFiles(sqs, join(stateDir, 'sqs'), others, true);
    }

    lambdas = new LambdaHost(functions, {
      baseEnv: lambdaEnvironment({
        dynamodb: dynamo.endpoint,
        sns: sns.url,
        ses: ses.url,
        sqs: sqs.url,
        s3: s3Url,
        region,
      }),
      maxConcurrency: opts.maxConcurrency,
      quiet: opts.quiet,
    });

    const mainTable = model.tables.find((t) => t.constructId === 'Table') ?? model.tables[0];
    // The WhatsApp Graph API Pulso sends to: its account is the seed's demo number.
    const activeGraph = await startGraphEngine({ port: ports.graph, host, clock });
    graph = activeGraph;
    let seeded: Partial<Seeded> = {};
    const seed = opts.seed === undefined ? (await import('./seed.ts')).seed : opts.seed;
    if (seed && mainTable) {
      seeded = await seed({
        dynamodbEndpoint: dynamo.endpoint,
        tableName: mainTable.tableName,
        region,
        apiUrl: api.url,
        graphUrl: activeGraph.url,
      });
    }
    if (seeded.whatsapp)
      activeGraph.configure({
        accessToken: seeded.whatsapp.accessToken,
        phoneNumberId: seeded.whatsapp.phoneNumberId,
        webhook: { url: seeded.whatsapp.webhookUrl, appSecret: seeded.whatsapp.appSecret },
      });
    const webhookSecrets = seeded.webhookSecrets ?? {};

    pollers = new StreamPollers({
      endpoint: dynamo.endpoint,
      region,
      mappings,
      functions,
      host: lambdas,
      dlq: activeDlq,
      sns,
      checkpoints: new Checkpoints(opts.persist ? join(stateDir, 'checkpoints.json') : undefined),
      pollIntervalMs: opts.pollIntervalMs,
      retryDelayMs: opts.retryDelayMs,
      log,
    });
    pollers.start();
    queuePollers = new QueuePollers({
      engine: sqs,
      region,
      mappings: queueMappings,
      functions,
      host: lambdas,
      log,
      clock,
    });
    queuePollers.start();

    ses.setConfigurationSets(model.configurationSets.map((c) => c.name));
    const activeInvoker = new AsyncInvoker({
      host: lambdas,
      sqs,
      retryDelayMs: opts.asyncRetryDelayMs,
      log,
      alarm: opts.quiet ? () => undefined : undefined,
      clock,
    });
    invoker = activeInvoker;
    const invokeHost = lambdas;
    // A contact flow (Amazon Connect) or any AWS service invokes functions directly: the Invoke API answers it.
    lambdaApi = await startLambdaApi({
      port: ports.lambda,
      host,
      find: (id) => invokeHost.find(id),
      invoke: (fn, event) => invokeHost.invoke(fn.logicalId, event),
      invokeAsync: (fn, event) => void activeInvoker.invoke(fn, event, 'lambda:Invoke'),
    });
    const lambdaUrl = lambdaApi.url;
    deliveries = new SnsDeliveries({
      sns,
      subscriptions: model.subscriptions,
      functions,
      invoker: activeInvoker,
      log,
    });
    const activeSesEvents = new SesEventPublisher({
      ses,
      sns,
      configurationSets: model.configurationSets,
      region,
      accountId: LOCAL_ACCOUNT,
      log,
      delayMs: opts.sesEventDelayMs,
      clock,
    });
    sesEvents = activeSesEvents;
    const activeSchedules = new Schedules({
      rules: model.rules,
      functions,
      invoker: activeInvoker,
      mode: opts.schedules ?? 'run',
      region,
      accountId: LOCAL_ACCOUNT,
      log,
      clock,
    });
    schedules = activeSchedules;
    activeSchedules.start();

    // The stack's JWT authorizer trusts Cognito (or the deployer's issuer); locally it trusts the local provider.
    const loopbackAppUrl = `${api.url}app/`;
    const appUrl = opts.publicHost ? publicUrlOf(loopbackAppUrl, opts.publicHost) : loopbackAppUrl;
    const signIn = await startOidc({
      port: ports.oidc,
      host,
      ...(opts.publicHost ? { publicHost: opts.publicHost } : {}),
      people: DEMO_PEOPLE,
      // The app signs in from whichever address the browser opened it by.
      redirectUris: [...new Set([appUrl, loopbackAppUrl])],
    });
    oidc = signIn;
    const authorize = jwtAuthorizer({
      issuer: signIn.issuer,
      audiences: [signIn.clientId],
      jwks: signIn.jwks,
      now: () => clock.now(),
    });
    const people = await Promise.all(
      DEMO_PEOPLE.map(async (person) => ({
        ...person,
        accessToken: (await signIn.signIn(person.username, person.password)).accessToken,
      })),
    );
    const adminToken = people.find((p) => p.role === 'admin')?.accessToken ?? '';
    const activePollers = pollers;
    api.configure({
      routes: model.routes,
      cors: model.cors,
      lambdas,
      authorize,
      accountId: LOCAL_ACCOUNT,
      app: {
        dir: opts.appDir ?? join(root, 'web', 'dist'),
        config: {
          issuer: signIn.issuer,
          clientId: signIn.clientId,
          resource: API_RESOURCE,
          scopes: APP_SCOPES,
        },
      },
      dlq: activeDlq,
      redrive: (queue) => activePollers.redrive(queue),
      quiet: opts.quiet,
    });
    for (const warning of model.warnings) log(`warning: ${warning}`);

    const byBoth = <T extends { logicalId: string; constructId: string }>(
      items: readonly T[],
      value: (t: T) => string,
    ) => {
      const out: Record<string, string> = {};
      for (const item of items) out[item.logicalId] = value(item);
      for (const item of items) {
        if (items.filter((i) => i.constructId === item.constructId).length === 1)
          out[item.constructId] ??= value(item);
      }
      return out;
    };
    const queueNames = byBoth(model.queues, (q) => q.name);
    const queueUrls = byBoth(model.queues, (q) => sqs?.queueUrl(q.name) ?? '');
    const hostLambdas = lambdas;
    const activeQueuePollers = queuePollers;
    const queuesIdle = (timeoutMs?: number) => activeQueuePollers.idle(timeoutMs);
    // Queue consumers may write to tables and stream consumers may send to queues: both must be idle at once,
    // with no queue activity while the streams were checked.
    const allIdle = async (timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      const left = () => Math.max(1, deadline - Date.now());
      for (;;) {
        await activeQueuePollers.idle(left());
        const mark = activeQueuePollers.activity();
        await activePollers.idle(left());
        if (activeQueuePollers.isIdle() && activeQueuePollers.activity() === mark) return;
        if (Date.now() > deadline) {
          throw new Error(
            `Pollers still busy after ${timeoutMs} ms: ${activeQueuePollers.busy().join(', ')}`,
          );
        }
      }
    };
    // SES events, SNS deliveries and scheduled runs may write to tables and queues, and the other way round.
    const asyncBusy = () => activeInvoker.inFlight() + activeSesEvents.inFlight();
    const asyncActivity = () => activeInvoker.activity() + activeSesEvents.activity();
    const idle = async (timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      const left = () => Math.max(1, deadline - Date.now());
      for (;;) {
        while (asyncBusy() > 0) {
          if (Date.now() > deadline) {
            throw new Error(
              `Still busy after ${timeoutMs} ms: ${activeInvoker.inFlight()} async invocation(s), ` +
                `${activeSesEvents.inFlight()} SES event(s) to publish`,
            );
          }
          await sleep(10);
        }
        const mark = asyncActivity();
        await allIdle(left());
        if (asyncBusy() === 0 && asyncActivity() === mark) return;
      }
    };
    const activeSes = ses;
    const topicArns = byBoth(model.topics, (t) => t.arn);
    return {
      apiUrl: api.url,
      dynamodbEndpoint: dynamo.endpoint,
      sesUrl: ses.url,
      mailboxUrl: ses.url,
      snsUrl: sns.url,
      snsInboxUrl: sns.url,
      sqsUrl: sqs.url,
      s3Url,
      lambdaUrl,
      ...(seeded.whatsapp ? { whatsapp: seeded.whatsapp } : {}),
      graph: activeGraph,
      ...(seeded.sms && topicArns.InboundSmsTopic
        ? {
            sms: {
              ...seeded.sms,
              inboundTopicArn: topicArns.InboundSmsTopic,
              messagesUrl: `${sns.url}messages`,
            },
          }
        : {}),
      bucketNames: byBoth(model.buckets, (b) => b.name),
      appUrl,
      region,
      adminToken,
      oidc: { issuer: signIn.issuer, clientId: signIn.clientId },
      people,
      signIn: (username, password) => signIn.signIn(username, password),
      tableNames: byBoth(model.tables, (t) => t.tableName),
      tableName: mainTable?.tableName ?? '',
      topicArns,
      queueNames,
      queueUrls,
      webhookSecrets,
      ...(seeded.vendors
        ? {
            vendors: {
              ...seeded.vendors,
              connect: {
                functionName: functions.find((f) => f.constructId === 'ContactFlow')?.name ?? '',
                lambdaEndpoint: lambdaUrl,
              },
            },
          }
        : {}),
      functions,
      warnings: model.warnings,
      startupMs: Date.now() - started,
      invoke: (fn, event) => hostLambdas.invoke(fn, event),
      streamsIdle: allIdle,
      queuesIdle,
      idle,
      runSchedule: (id, runOpts) => activeSchedules.run(id, runOpts),
      rules: model.rules,
      sesMessages: () => activeSes.sent(),
      asyncFailures: () => activeInvoker.failures(),
      dlqMessages: (queue) => activeDlq.entries(queue ? (queueNames[queue] ?? queue) : undefined),
      redrive: (queue) => activePollers.redrive(queueNames[queue] ?? queue),
      snsMessages: () => sns?.messages() ?? [],
      warm: () => hostLambdas.warm(),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Environment every local function gets besides its own variables: the engines behind the standard SDK settings. */
function lambdaEnvironment(engines: {
  dynamodb: string;
  sns: string;
  ses: string;
  sqs: string;
  s3: string;
  region: string;
}): Record<string, string> {
  const bare = (url: string) => url.replace(/\/$/, '');
  return {
    PATH: process.env.PATH ?? '',
    LANG: 'en_US.UTF-8',
    AWS_REGION: engines.region,
    AWS_DEFAULT_REGION: engines.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: bare(engines.dynamodb),
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: bare(engines.dynamodb),
    AWS_ENDPOINT_URL_SNS: bare(engines.sns),
    AWS_ENDPOINT_URL_SQS: bare(engines.sqs),
    AWS_ENDPOINT_URL_SES: bare(engines.ses),
    AWS_ENDPOINT_URL_SESV2: bare(engines.ses),
    AWS_ENDPOINT_URL_S3: bare(engines.s3),
    // A developer's ~/.aws files must not steer the functions (Lambda has none).
    AWS_CONFIG_FILE: join(tmpdir(), 'pulso-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'pulso-no-aws-credentials'),
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
  };
}

/** Creates the template's queues, each dead-letter queue before the queues whose redrive policy names it. */
function createQueues(sqs: SqsEngine, queues: readonly LocalQueue[]): void {
  const left = [...queues];
  while (left.length > 0) {
    const ready = left.findIndex(
      (q) => !q.deadLetterQueue || !left.some((other) => other !== q && other.name === q.deadLetterQueue),
    );
    const queue = left.splice(Math.max(0, ready), 1)[0] as LocalQueue;
    try {
      sqs.createQueue(queue.name, queue.attributes);
    } catch (err) {
      throw new Error(`Queue ${queue.logicalId} cannot be created locally: ${(err as Error).message}`);
    }
  }
}

/** Creates the tables (kept ones are reused), their TTL, and returns each table's stream ARN by logical id. */
async function createTables(
  endpoint: string,
  region: string,
  tables: readonly LocalTable[],
): Promise<Record<string, string>> {
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const streamArns: Record<string, string> = {};
  try {
    for (const table of tables) {
      let streamArn: string | undefined;
      try {
        const out = await client.send(
          new CreateTableCommand(table.createTable as unknown as CreateTableCommandInput),
        );
        streamArn = out.TableDescription?.LatestStreamArn;
      } catch (err) {
        if ((err as Error).name !== 'ResourceInUseException') throw err;
        const described = await client.send(new DescribeTableCommand({ TableName: table.tableName }));
        streamArn = described.Table?.LatestStreamArn;
        if (!described.Table?.StreamSpecification?.StreamEnabled && table.streamViewType) {
          const updated = await client.send(
            new UpdateTableCommand({
              TableName: table.tableName,
              StreamSpecification: {
                StreamEnabled: true,
                StreamViewType: table.streamViewType as 'NEW_IMAGE',
              },
            }),
          );
          streamArn = updated.TableDescription?.LatestStreamArn;
        }
      }
      if (table.ttlAttribute) {
        await client
          .send(
            new UpdateTimeToLiveCommand({
              TableName: table.tableName,
              TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
            }),
          )
          .catch((err: Error) => {
            // A kept table already has it.
            if (err.name !== 'ValidationException') throw err;
          });
      }
      if (streamArn) streamArns[table.logicalId] = streamArn;
    }
  } finally {
    client.destroy();
  }
  return streamArns;
}

/** `url` with its host replaced by `publicHost` (same scheme, port and path). */
function publicUrlOf(url: string, publicHost: string): string {
  const u = new URL(url);
  u.hostname = publicHost;
  return u.href;
}
