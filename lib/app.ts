import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { acknowledgeNagFindings } from '#lib/nag.ts';
import { PulsoStack, type PulsoStackProps } from '#lib/pulso-stack.ts';

export interface BuildAppOptions {
  /**
   * Context values for the app (the CLI adds cdk.json's and `-c` values on top through its own channel).
   * Pass `{ 'aws:cdk:bundling-stacks': [] }` to synth without running esbuild.
   * @default {}
   */
  readonly context?: Record<string, unknown>;
  /**
   * Where the cloud assembly is written.
   * @default - the CLI's folder, or a temporary folder in process
   */
  readonly outdir?: string;
  /**
   * Run the cdk-nag AwsSolutions and Serverless packs; synthesis fails on any unacknowledged error.
   * @default true
   */
  readonly nag?: boolean;
  /**
   * Stack name.
   * @default 'Pulso'
   */
  readonly stackName?: string;
  /**
   * Stack properties; each one given here wins over the matching context value.
   * @default - read from context: mailFrom, sesIdentity, jwtIssuer, jwtAudience, appClientId, appScopes, jwtGroupsClaim,
   *   cognitoDomainPrefix, appDomainName, appCertificateArn, corsAllowOrigins, connectInstanceArn, connectAssociate, commentAnalyzer,
   *   sendRatePerSecond, senderConcurrency, alertsPerOwnerPerHour, reportHourUtc, auditRetentionDays, aggregationWindowSeconds, apiRateLimit,
   *   apiBurstLimit, tableWarmWritesPerSecond, tableWarmReadsPerSecond
   */
  readonly stackProps?: PulsoStackProps;
}

export interface PulsoApp {
  readonly app: App;
  readonly stack: PulsoStack;
}

/** Builds the CDK app (stack + cdk-nag) so the CLI, tests and the local runtime synth the same thing. */
export function buildApp(opts: BuildAppOptions = {}): PulsoApp {
  const appProps: AppProps = { context: opts.context, outdir: opts.outdir };
  const app = new App(appProps);
  const stack = new PulsoStack(app, opts.stackName ?? 'Pulso', {
    description: 'Pulso: serverless customer-experience survey pipeline (NPS, CSAT, CES)',
    ...stackPropsFromContext(app),
    ...opts.stackProps,
  });
  if (opts.nag ?? true) {
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app, { verbose: true }),
      new ServerlessChecks(app, { verbose: true }),
    );
    acknowledgeNagFindings(stack);
  }
  return { app, stack };
}

function analyzer(value: string | undefined): PulsoStackProps['commentAnalyzer'] {
  if (value === undefined || value === 'builtin' || value === 'comprehend') return value;
  throw new Error(`Context commentAnalyzer must be builtin or comprehend, not "${value}".`);
}

function stackPropsFromContext(app: App): PulsoStackProps {
  const text = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  // Lists arrive as JSON arrays from cdk.json or as comma-separated strings from `-c key=a,b`.
  const list = (key: string): string[] | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    const items = Array.isArray(value)
      ? value.map(String)
      : typeof value === 'string'
        ? value.split(',')
        : [];
    const cleaned = items.map((item) => item.trim()).filter((item) => item !== '');
    return cleaned.length > 0 ? cleaned : undefined;
  };
  // Numbers arrive as numbers from cdk.json or as strings from `-c key=14`; anything else is a mistake to report.
  const whole = (key: string, min: number, max: number): number | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`Context ${key} must be a whole number from ${min} to ${max}, not "${String(value)}"`);
    return n;
  };
  const rateLimit = whole('apiRateLimit', 1, 1_000_000);
  const burstLimit = whole('apiBurstLimit', 1, 1_000_000);
  // A new on-demand table serves 4,000 writes and 12,000 reads a second at once; warm throughput only goes up.
  const writeUnitsPerSecond = whole('tableWarmWritesPerSecond', 4000, 1_000_000);
  const readUnitsPerSecond = whole('tableWarmReadsPerSecond', 12_000, 1_000_000);
  return {
    mailFrom: text('mailFrom'),
    sesIdentity: text('sesIdentity'),
    jwtIssuer: text('jwtIssuer'),
    jwtAudience: list('jwtAudience'),
    appClientId: text('appClientId'),
    appScopes: list('appScopes'),
    jwtGroupsClaim: text('jwtGroupsClaim'),
    connectInstanceArn: text('connectInstanceArn'),
    commentAnalyzer: analyzer(text('commentAnalyzer')),
    associateWithConnect:
      text('connectAssociate') === undefined ? undefined : text('connectAssociate') !== 'false',
    cognitoDomainPrefix: text('cognitoDomainPrefix'),
    appDomainName: text('appDomainName'),
    appCertificateArn: text('appCertificateArn'),
    corsAllowOrigins: list('corsAllowOrigins'),
    sendRatePerSecond: whole('sendRatePerSecond', 1, 10_000),
    // The bounds of an SQS event source mapping's maximum concurrency.
    senderConcurrency: whole('senderConcurrency', 2, 1000),
    // The hour's item holds the ids sent one by one: 1,000 of them is about 20 KB, 20 write units an admit.
    alertsPerOwnerPerHour: whole('alertsPerOwnerPerHour', 1, 1000),
    reportHourUtc: whole('reportHourUtc', 0, 23),
    auditRetentionDays: whole('auditRetentionDays', 30, 3650),
    // The bounds of a stream event source mapping's MaximumBatchingWindowInSeconds.
    aggregationWindowSeconds: whole('aggregationWindowSeconds', 0, 300),
    throttle: rateLimit || burstLimit ? { rateLimit, burstLimit } : undefined,
    tableWarmThroughput:
      writeUnitsPerSecond || readUnitsPerSecond ? { writeUnitsPerSecond, readUnitsPerSecond } : undefined,
  };
}
