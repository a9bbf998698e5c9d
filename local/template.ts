import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the folder of package.json). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, { Value: unknown }>;
}

/**
 * Synthesizes the CDK app of lib/ in this process and returns the stack's template. Bundling is skipped:
 * locally each function runs from its TypeScript entry.
 */
export async function synthesizeTemplate(
  opts: { stackName?: string; context?: Record<string, unknown> } = {},
): Promise<CfnTemplate> {
  const { buildApp } = await import('#lib/app.ts');
  const outdir = mkdtempSync(join(tmpdir(), 'pulso-synth-'));
  try {
    const { app, stack } = buildApp({
      // Context from cdk.json, as the CLI would pass it, so local settings match `cdk deploy`.
      context: {
        ...cdkJsonContext(),
        ...opts.context,
        'aws:cdk:bundling-stacks': [],
        // The CLI turns this on; construct ids (e.g. `SurveyPage`) are read from these paths.
        'aws:cdk:enable-path-metadata': true,
      },
      outdir,
      nag: false,
      stackName: opts.stackName,
    });
    const assembly = app.synth();
    return assembly.getStackByName(stack.stackName).template as CfnTemplate;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function cdkJsonContext(): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const file of ['cdk.json', 'cdk.context.json']) {
    try {
      const json = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as {
        context?: Record<string, unknown>;
      };
      Object.assign(context, file === 'cdk.json' ? json.context : json);
    } catch {
      // Absent file: nothing to add.
    }
  }
  return context;
}

// ---------------------------------------------------------------------------------------------------------
// Intrinsic functions

/** Values that only exist once the local engines run. */
export interface LocalValues {
  /** Base URL of the local API, ending in `/`. */
  readonly apiUrl: string;
  /** Stream ARN per table logical id (from DynamoDB Local). */
  readonly streamArns: Readonly<Record<string, string>>;
  /** Base URL of the local SQS engine, ending in `/` (queue URLs are `<it><account>/<name>`). */
  readonly sqsUrl?: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly stackName?: string;
}

export class UnresolvableError extends Error {}

// Stands for the HTTP API's id inside a join, so the join can be recognised and replaced by the local URL.
const API_ID = 'pulsolocalapi';

/** Resolves CloudFormation intrinsic functions against local values. */
export class Resolver {
  private readonly region: string;
  private readonly accountId: string;

  constructor(
    private readonly template: CfnTemplate,
    private readonly local: LocalValues,
  ) {
    this.region = local.region ?? LOCAL_REGION;
    this.accountId = local.accountId ?? LOCAL_ACCOUNT;
  }

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [first] = entries;
    if (
      entries.length === 1 &&
      first &&
      (first[0] === 'Ref' || first[0].startsWith('Fn::') || first[0] === 'Condition')
    ) {
      return this.intrinsic(first[0], first[1]);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const resolved = this.resolve(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  /** Resolves to a string or throws. */
  string(value: unknown, what: string): string {
    const resolved = this.resolve(value);
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new UnresolvableError(`${what} does not resolve to a string: ${JSON.stringify(value)}`);
  }

  private intrinsic(name: string, arg: unknown): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.+)/);
        return this.getAtt(id ?? '', attr ?? '');
      }
      case 'Fn::Join': {
        const [delimiter, list] = arg as [string, unknown[]];
        const joined = (this.resolve(list) as unknown[]).map(String).join(delimiter);
        return refersToApi(this.template, list) ? this.localApiUrl(joined) : joined;
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg)
          ? (arg as [string, Record<string, unknown>])
          : [String(arg), {}];
        const subbed = text.replace(/\$\{([^}]+)\}/g, (whole, expr: string) => {
          if (expr.startsWith('!')) return `\${${expr.slice(1)}}`;
          if (vars && expr in vars) return String(this.resolve(vars[expr]));
          const [id, attr] = expr.split(/\.(.+)/);
          return String(attr ? this.getAtt(id ?? '', attr) : this.ref(id ?? whole));
        });
        const apiIds = Object.keys(this.template.Resources).filter((id) => this.isApi(id));
        return apiIds.some((id) => text.includes(`\${${id}`)) ? this.localApiUrl(subbed) : subbed;
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const items = this.resolve(list) as unknown[];
        return items[Number(this.resolve(index))];
      }
      case 'Fn::Split': {
        const [delimiter, text] = arg as [string, unknown];
        return String(this.resolve(text)).split(delimiter);
      }
      case 'Fn::Base64':
        return Buffer.from(String(this.resolve(arg))).toString('base64');
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = arg as [string, unknown, unknown];
        return this.resolve(this.condition(condition) ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [a, b] = (arg as unknown[]).map((v) => JSON.stringify(this.resolve(v)));
        return a === b;
      }
      case 'Fn::Not':
        return !this.resolve((arg as unknown[])[0]);
      case 'Fn::And':
        return (arg as unknown[]).every((v) => this.resolve(v));
      case 'Fn::Or':
        return (arg as unknown[]).some((v) => this.resolve(v));
      case 'Condition':
        return this.condition(String(arg));
      case 'Fn::GetAZs':
        return [`${this.region}a`, `${this.region}b`, `${this.region}c`];
      default:
        throw new UnresolvableError(`${name} is not supported locally`);
    }
  }

  private condition(name: string): boolean {
    const expr = this.template.Conditions?.[name];
    if (expr === undefined) throw new UnresolvableError(`Unknown condition ${name}`);
    return Boolean(this.resolve(expr));
  }

  private isApi(id: string): boolean {
    return this.template.Resources[id]?.Type === 'AWS::ApiGatewayV2::Api';
  }

  /** Any join or sub that builds a URL of the HTTP API becomes the local API URL plus its path. */
  private localApiUrl(built: string): string {
    const match = new RegExp(`^https://${API_ID}\\.execute-api\\.[^/]+/?(.*)$`).exec(built);
    return match ? `${this.local.apiUrl}${match[1] ?? ''}` : this.local.apiUrl;
  }

  ref(id: string): unknown {
    switch (id) {
      case 'AWS::Region':
        return this.region;
      case 'AWS::AccountId':
        return this.accountId;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::StackName':
        return this.local.stackName ?? 'Pulso';
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/${this.local.stackName ?? 'Pulso'}/local`;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    const parameter = this.template.Parameters?.[id];
    if (parameter) return parameter.Default ?? '';
    const resource = this.template.Resources[id];
    if (!resource) throw new UnresolvableError(`Ref to unknown resource ${id}`);
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        return localTableName(this, id);
      case 'AWS::SNS::Topic':
        return this.arn('sns', localTopicName(this, id));
      case 'AWS::SQS::Queue':
        return `${this.local.sqsUrl ?? `http://sqs.${this.region}.localhost/`}${this.accountId}/${localQueueName(this, id)}`;
      case 'AWS::Lambda::Function':
        return localFunctionName(this, id);
      case 'AWS::ApiGatewayV2::Api':
        return API_ID;
      case 'AWS::SES::ConfigurationSet':
        return localConfigurationSetName(this, id);
      case 'AWS::Events::Rule':
        return localRuleName(this, id);
      default:
        return id;
    }
  }

  getAtt(id: string, attr: string): unknown {
    const resource = this.template.Resources[id];
    if (!resource) throw new UnresolvableError(`Fn::GetAtt of unknown resource ${id}`);
    switch (`${resource.Type}.${attr}`) {
      case 'AWS::DynamoDB::Table.Arn':
        return `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${localTableName(this, id)}`;
      case 'AWS::DynamoDB::Table.StreamArn': {
        const arn = this.local.streamArns[id];
        if (!arn) throw new UnresolvableError(`Table ${id} has no local stream`);
        return arn;
      }
      case 'AWS::SNS::Topic.TopicArn':
        return this.arn('sns', localTopicName(this, id));
      case 'AWS::SNS::Topic.TopicName':
        return localTopicName(this, id);
      case 'AWS::SQS::Queue.Arn':
        return this.arn('sqs', localQueueName(this, id));
      case 'AWS::SQS::Queue.QueueName':
        return localQueueName(this, id);
      case 'AWS::SQS::Queue.QueueUrl':
        return this.ref(id);
      case 'AWS::Lambda::Function.Arn':
        return `arn:aws:lambda:${this.region}:${this.accountId}:function:${localFunctionName(this, id)}`;
      case 'AWS::ApiGatewayV2::Api.ApiEndpoint':
        return this.local.apiUrl.replace(/\/$/, '');
      case 'AWS::ApiGatewayV2::Api.ApiId':
        return API_ID;
      case 'AWS::Events::Rule.Arn':
        return `arn:aws:events:${this.region}:${this.accountId}:rule/${localRuleName(this, id)}`;
    }
    if (attr === 'Arn') return `arn:aws:local:${this.region}:${this.accountId}:${id}`;
    return `${id}.${attr}`;
  }

  private arn(service: string, name: string): string {
    return `arn:aws:${service}:${this.region}:${this.accountId}:${name}`;
  }

  property(id: string, name: string): unknown {
    const value = this.template.Resources[id]?.Properties?.[name];
    return value === undefined ? undefined : this.resolve(value);
  }
}

const NO_VALUE = Symbol('AWS::NoValue');

function refersToApi(template: CfnTemplate, value: unknown): boolean {
  if (Array.isArray(value)) return value.some((v) => refersToApi(template, v));
  if (value === null || typeof value !== 'object') return false;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'Ref' && template.Resources[String(v)]?.Type === 'AWS::ApiGatewayV2::Api') return true;
    if (
      k === 'Fn::GetAtt' &&
      Array.isArray(v) &&
      template.Resources[String(v[0])]?.Type === 'AWS::ApiGatewayV2::Api'
    ) {
      return true;
    }
    if (refersToApi(template, v)) return true;
  }
  return false;
}

// Physical names: the resource's own name property when it sets one, else its logical id.
function namedOr(resolver: Resolver, id: string, property: string): string {
  const name = resolver.property(id, property);
  return typeof name === 'string' && name !== '' ? name : id;
}
const localTableName = (r: Resolver, id: string) => namedOr(r, id, 'TableName');
const localTopicName = (r: Resolver, id: string) => namedOr(r, id, 'TopicName');
// CloudFormation names an unnamed FIFO queue with the `.fifo` suffix SQS requires.
const localQueueName = (r: Resolver, id: string) => {
  const name = namedOr(r, id, 'QueueName');
  const fifo = String(r.property(id, 'FifoQueue') ?? false) === 'true';
  return fifo && !name.endsWith('.fifo') ? `${name}.fifo` : name;
};
const localFunctionName = (r: Resolver, id: string) => namedOr(r, id, 'FunctionName');
const localConfigurationSetName = (r: Resolver, id: string) => namedOr(r, id, 'Name');
const localRuleName = (r: Resolver, id: string) => namedOr(r, id, 'Name');

// ---------------------------------------------------------------------------------------------------------
// The stack as the local runtime needs it

export interface LocalTable {
  readonly logicalId: string;
  /** Construct id from the CDK path (e.g. `Table`), for humans and tests. */
  readonly constructId: string;
  readonly tableName: string;
  /** CreateTable input for DynamoDB Local. */
  readonly createTable: Record<string, unknown>;
  readonly ttlAttribute?: string;
  readonly streamViewType?: string;
}

export interface LocalTopic {
  readonly logicalId: string;
  readonly constructId: string;
  readonly name: string;
  readonly arn: string;
  readonly attributes: Record<string, string>;
}

export interface LocalQueue {
  readonly logicalId: string;
  readonly constructId: string;
  readonly name: string;
  readonly arn: string;
  /** CreateQueue attributes from the queue's properties (RedrivePolicy as SQS's JSON string). */
  readonly attributes: Record<string, string>;
  readonly fifo: boolean;
  /** Name of the dead-letter queue its redrive policy names, if any. */
  readonly deadLetterQueue?: string;
}

export interface LocalFunction {
  readonly logicalId: string;
  readonly constructId: string;
  readonly name: string;
  readonly arn: string;
  /** Absolute path of the TypeScript entry (from the `pulso:entry` metadata). */
  readonly entry: string;
  /** Export called as the handler. */
  readonly handlerExport: string;
  readonly environment: Record<string, string>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly runtime: string;
  /** Retries of a failed asynchronous invocation (AWS::Lambda::EventInvokeConfig). @default 2 */
  readonly asyncRetryAttempts?: number;
  /**
   * SQS queue ARN for asynchronous invocations that failed every try: an EventInvokeConfig on-failure
   * destination (Lambda's invocation record) or the function's DeadLetterConfig (the event itself).
   */
  readonly asyncOnFailure?: { readonly queueArn: string; readonly kind: 'destination' | 'dead-letter' };
}

export interface LocalRoute {
  readonly logicalId: string;
  readonly routeKey: string;
  readonly method: string;
  readonly path: string;
  /** Logical id of the Lambda function behind the route. */
  readonly functionId: string;
  readonly payloadFormatVersion: string;
  readonly authorization: 'NONE' | 'JWT';
  readonly authorizationScopes?: readonly string[];
}

export interface LocalCors {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAge?: number;
}

export interface LocalMapping {
  readonly logicalId: string;
  readonly functionId: string;
  /** Logical id of the table whose stream feeds the mapping. */
  readonly tableId: string;
  readonly streamArn: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** Event filter patterns (any one matching keeps the record); empty = every record. */
  readonly filterPatterns: readonly unknown[];
  readonly reportBatchItemFailures: boolean;
  /** -1 = until the record expires. */
  readonly maxRetryAttempts: number;
  readonly bisectOnError: boolean;
  /** -1 = no limit. */
  readonly maxRecordAgeSeconds: number;
  readonly parallelizationFactor: number;
  /** ARN of the on-failure destination (SQS queue or SNS topic), if any. */
  readonly onFailureArn?: string;
  readonly enabled: boolean;
}

/** An event source mapping whose source is an SQS queue of the template. */
export interface LocalQueueMapping {
  readonly logicalId: string;
  readonly functionId: string;
  /** Logical id and local name of the queue. */
  readonly queueId: string;
  readonly queueName: string;
  readonly queueArn: string;
  /** 1 to 10,000 (above 10 only with a batching window). */
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Batches in flight at most (ScalingConfig.MaximumConcurrency). */
  readonly maxConcurrency?: number;
  readonly filterPatterns: readonly unknown[];
  readonly reportBatchItemFailures: boolean;
  readonly enabled: boolean;
}

/** An AWS::SES::ConfigurationSet and the SNS event destinations attached to it. */
export interface LocalConfigurationSet {
  readonly logicalId: string;
  readonly name: string;
  readonly eventDestinations: readonly LocalSesEventDestination[];
}

export interface LocalSesEventDestination {
  readonly logicalId: string;
  readonly enabled: boolean;
  /** CloudFormation's lower camel case names: `send`, `delivery`, `bounce`, `complaint`, `reject`... */
  readonly matchingEventTypes: readonly string[];
  readonly topicArn: string;
}

/** An AWS::SNS::Subscription of the template. */
export interface LocalSubscription {
  readonly logicalId: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  /** Logical id of the function a `lambda` subscription invokes. */
  readonly functionId?: string;
  readonly filterPolicy?: unknown;
  readonly filterPolicyScope: 'MessageAttributes' | 'MessageBody';
}

/** An AWS::Events::Rule with a schedule and Lambda targets. */
export interface LocalRule {
  readonly logicalId: string;
  readonly constructId: string;
  readonly name: string;
  readonly arn: string;
  /** `rate(1 hour)`, `cron(0 9 * * ? *)`... */
  readonly scheduleExpression: string;
  readonly enabled: boolean;
  readonly targets: readonly LocalRuleTarget[];
}

export interface LocalRuleTarget {
  readonly id: string;
  readonly functionId: string;
  /** Constant JSON text sent instead of the scheduled event (the target's `Input`). */
  readonly input?: string;
}

export interface LocalStackModel {
  readonly tables: readonly LocalTable[];
  readonly topics: readonly LocalTopic[];
  readonly queues: readonly LocalQueue[];
  readonly configurationSets: readonly LocalConfigurationSet[];
  readonly subscriptions: readonly LocalSubscription[];
  readonly rules: readonly LocalRule[];
  readonly routes: readonly LocalRoute[];
  readonly cors?: LocalCors;
  readonly warnings: readonly string[];
  /** Functions and mappings need the engines' values (API URL, stream ARNs). */
  functions(local: LocalValues): LocalFunction[];
  mappings(local: LocalValues): LocalMapping[];
  /** SQS event source mappings. */
  queueMappings(local: LocalValues): LocalQueueMapping[];
}

export const ENTRY_METADATA = 'pulso:entry';

/** Reads what the local runtime builds from a template: tables, topics, queues, routes, functions, mappings. */
export function readStack(
  template: CfnTemplate,
  opts: { root?: string; stackName?: string } = {},
): LocalStackModel {
  const root = opts.root ?? ROOT;
  const warnings: string[] = [];
  const staticValues: LocalValues = {
    apiUrl: 'http://localhost/',
    streamArns: {},
    stackName: opts.stackName,
  };
  const r0 = new Resolver(template, staticValues);
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, res]) => res.Type === type);

  const tables = ofType('AWS::DynamoDB::Table').map(([id, res]): LocalTable => {
    const p = (r0.resolve(res.Properties ?? {}) ?? {}) as Record<string, unknown>;
    const tableName = localTableName(r0, id);
    const billing = (p.BillingMode as string | undefined) ?? 'PROVISIONED';
    const throughput =
      billing === 'PROVISIONED' ? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } : undefined;
    const stream = p.StreamSpecification as { StreamViewType?: string } | undefined;
    const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
    const gsis = (p.GlobalSecondaryIndexes as Record<string, unknown>[] | undefined)?.map((g) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
      ...(throughput ? { ProvisionedThroughput: g.ProvisionedThroughput ?? throughput } : {}),
    }));
    const lsis = (p.LocalSecondaryIndexes as Record<string, unknown>[] | undefined)?.map((l) => ({
      IndexName: l.IndexName,
      KeySchema: l.KeySchema,
      Projection: l.Projection,
    }));
    return {
      logicalId: id,
      constructId: constructId(res, id),
      tableName,
      createTable: {
        TableName: tableName,
        AttributeDefinitions: p.AttributeDefinitions,
        KeySchema: p.KeySchema,
        BillingMode: billing,
        ...(throughput ? { ProvisionedThroughput: p.ProvisionedThroughput ?? throughput } : {}),
        ...(gsis?.length ? { GlobalSecondaryIndexes: gsis } : {}),
        ...(lsis?.length ? { LocalSecondaryIndexes: lsis } : {}),
        ...(stream?.StreamViewType
          ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType } }
          : {}),
      },
      ttlAttribute: ttl?.Enabled && ttl.AttributeName ? ttl.AttributeName : undefined,
      streamViewType: stream?.StreamViewType,
    };
  });

  const topics = ofType('AWS::SNS::Topic').map(([id, res]): LocalTopic => {
    const display = r0.property(id, 'DisplayName');
    return {
      logicalId: id,
      constructId: constructId(res, id),
      name: localTopicName(r0, id),
      arn: String(r0.ref(id)),
      attributes: typeof display === 'string' ? { DisplayName: display } : {},
    };
  });

  const queues = ofType('AWS::SQS::Queue').map(([id, res]): LocalQueue => {
    const p = (r0.resolve(res.Properties ?? {}) ?? {}) as Record<string, unknown>;
    const attributes: Record<string, string> = {};
    for (const name of QUEUE_ATTRIBUTES) {
      const value = p[name];
      if (value === undefined || value === null) continue;
      attributes[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
    let deadLetterQueue: string | undefined;
    if (attributes.RedrivePolicy) {
      const policy = JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string };
      deadLetterQueue = policy.deadLetterTargetArn?.split(':')[5];
    }
    for (const name of Object.keys(p)) {
      if (!QUEUE_ATTRIBUTES.includes(name) && !['QueueName', 'Tags', 'KmsMasterKeyId'].includes(name)) {
        warnings.push(`Queue ${id}: property ${name} is not emulated locally`);
      }
    }
    return {
      logicalId: id,
      constructId: constructId(res, id),
      name: localQueueName(r0, id),
      arn: String(r0.getAtt(id, 'Arn')),
      attributes,
      fifo: attributes.FifoQueue === 'true',
      deadLetterQueue,
    };
  });

  const integrations = new Map(ofType('AWS::ApiGatewayV2::Integration'));
  const authorizers = new Map(ofType('AWS::ApiGatewayV2::Authorizer'));
  const routes: LocalRoute[] = [];
  for (const [id, res] of ofType('AWS::ApiGatewayV2::Route')) {
    const p = res.Properties ?? {};
    const routeKey = String(p.RouteKey);
    const integrationId = referencedIds(p.Target).find((ref) => integrations.has(ref));
    const integration = integrationId ? integrations.get(integrationId) : undefined;
    const functionId = integration
      ? referencedIds(integration.Properties?.IntegrationUri).find(
          (ref) => template.Resources[ref]?.Type === 'AWS::Lambda::Function',
        )
      : undefined;
    if (!integration || !functionId) {
      warnings.push(`Route ${routeKey}: only Lambda proxy integrations run locally; the route is left out`);
      continue;
    }
    const authType = String(p.AuthorizationType ?? 'NONE');
    const authorizerId = referencedIds(p.AuthorizerId)[0];
    const authorizer = authorizerId ? authorizers.get(authorizerId) : undefined;
    if (authType !== 'NONE' && (authType !== 'JWT' || authorizer?.Properties?.AuthorizerType !== 'JWT')) {
      warnings.push(`Route ${routeKey}: authorization ${authType} is emulated as the local admin token`);
    }
    const [method = 'ANY', path = '/'] = routeKey === '$default' ? ['ANY', '$default'] : routeKey.split(' ');
    routes.push({
      logicalId: id,
      routeKey,
      method,
      path,
      functionId,
      payloadFormatVersion: String(integration.Properties?.PayloadFormatVersion ?? '2.0'),
      authorization: authType === 'NONE' ? 'NONE' : 'JWT',
      authorizationScopes: p.AuthorizationScopes as string[] | undefined,
    });
  }
  for (const route of routes) {
    if (route.payloadFormatVersion !== '2.0') {
      warnings.push(
        `Route ${route.routeKey}: payload format ${route.payloadFormatVersion} is sent as 2.0 locally`,
      );
    }
  }

  const apis = ofType('AWS::ApiGatewayV2::Api');
  if (apis.length > 1) warnings.push('Several HTTP APIs: the local API serves the routes of all of them');
  const corsConfig = apis[0]?.[1].Properties?.CorsConfiguration as Record<string, unknown> | undefined;
  const cors: LocalCors | undefined = corsConfig
    ? {
        allowOrigins: (corsConfig.AllowOrigins as string[] | undefined) ?? [],
        allowMethods: (corsConfig.AllowMethods as string[] | undefined) ?? [],
        allowHeaders: (corsConfig.AllowHeaders as string[] | undefined) ?? [],
        exposeHeaders: (corsConfig.ExposeHeaders as string[] | undefined) ?? [],
        allowCredentials: Boolean(corsConfig.AllowCredentials),
        maxAge: corsConfig.MaxAge as number | undefined,
      }
    : undefined;

  const functionIdOf = (value: unknown) =>
    referencedIds(value).find((ref) => template.Resources[ref]?.Type === 'AWS::Lambda::Function');
  /** Resolves a resource's properties, or warns and answers undefined when something cannot run locally. */
  const propertiesOf = (id: string, res: CfnResource): Record<string, unknown> | undefined => {
    try {
      return (r0.resolve(res.Properties ?? {}) ?? {}) as Record<string, unknown>;
    } catch (err) {
      if (!(err instanceof UnresolvableError)) throw err;
      warnings.push(`${res.Type} ${id}: ${err.message}; it is left out`);
      return undefined;
    }
  };

  // Retries and on-failure destinations of asynchronous invocations, per function logical id.
  const asyncConfigs = new Map<string, { maxRetryAttempts?: number; onFailureArn?: string }>();
  for (const [id, res] of ofType('AWS::Lambda::EventInvokeConfig')) {
    const functionId = functionIdOf(res.Properties?.FunctionName);
    const p = propertiesOf(id, res);
    if (!functionId || !p) continue;
    const retries = p.MaximumRetryAttempts;
    asyncConfigs.set(functionId, {
      maxRetryAttempts: retries === undefined ? undefined : Number(retries),
      onFailureArn: (p.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure
        ?.Destination,
    });
    if (p.MaximumEventAgeInSeconds !== undefined) {
      warnings.push(`EventInvokeConfig ${id}: MaximumEventAgeInSeconds is not emulated`);
    }
  }

  const destinations = ofType('AWS::SES::ConfigurationSetEventDestination').flatMap(([id, res]) => {
    const p = propertiesOf(id, res);
    if (!p) return [];
    const destination = (p.EventDestination ?? {}) as {
      Enabled?: boolean;
      MatchingEventTypes?: string[];
      SnsDestination?: { TopicARN?: string };
    };
    const topicArn = destination.SnsDestination?.TopicARN;
    if (!topicArn) {
      warnings.push(`SES event destination ${id}: only SNS destinations are emulated; it is left out`);
      return [];
    }
    const configSetId = referencedIds(res.Properties?.ConfigurationSetName)[0];
    return [
      {
        configurationSet: String(p.ConfigurationSetName),
        configSetId,
        destination: {
          logicalId: id,
          enabled: destination.Enabled !== false,
          matchingEventTypes: destination.MatchingEventTypes ?? [],
          topicArn,
        } satisfies LocalSesEventDestination,
      },
    ];
  });
  const configurationSets = ofType('AWS::SES::ConfigurationSet').map(([id]): LocalConfigurationSet => {
    const name = localConfigurationSetName(r0, id);
    return {
      logicalId: id,
      name,
      eventDestinations: destinations
        .filter((d) => d.configSetId === id || d.configurationSet === name)
        .map((d) => d.destination),
    };
  });

  const subscriptions = ofType('AWS::SNS::Subscription').flatMap(([id, res]): LocalSubscription[] => {
    const p = propertiesOf(id, res);
    if (!p) return [];
    const protocol = String(p.Protocol ?? '');
    const functionId = protocol === 'lambda' ? functionIdOf(res.Properties?.Endpoint) : undefined;
    if (protocol === 'lambda' && !functionId) {
      warnings.push(`Subscription ${id}: its function is not in the template; it is left out`);
      return [];
    }
    let filterPolicy = p.FilterPolicy;
    if (typeof filterPolicy === 'string') filterPolicy = JSON.parse(filterPolicy) as unknown;
    return [
      {
        logicalId: id,
        topicArn: String(p.TopicArn),
        protocol,
        endpoint: String(p.Endpoint ?? ''),
        functionId,
        filterPolicy,
        filterPolicyScope: p.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
      },
    ];
  });

  const rules = ofType('AWS::Events::Rule').flatMap(([id, res]): LocalRule[] => {
    const p = propertiesOf(id, res);
    if (!p) return [];
    if (typeof p.ScheduleExpression !== 'string') {
      if (p.EventPattern !== undefined) warnings.push(`Rule ${id}: event patterns are not emulated locally`);
      return [];
    }
    const targets: LocalRuleTarget[] = [];
    const rawTargets = (res.Properties?.Targets as Record<string, unknown>[] | undefined) ?? [];
    for (const [i, target] of ((p.Targets as Record<string, unknown>[] | undefined) ?? []).entries()) {
      const functionId = functionIdOf(rawTargets[i]?.Arn);
      if (!functionId) {
        warnings.push(`Rule ${id}: target ${String(target.Id)} is not a function of the template; left out`);
        continue;
      }
      if (target.InputPath !== undefined || target.InputTransformer !== undefined) {
        warnings.push(
          `Rule ${id}: InputPath and InputTransformer are not emulated; the target gets the event`,
        );
      }
      targets.push({
        id: String(target.Id),
        functionId,
        input: typeof target.Input === 'string' ? target.Input : undefined,
      });
    }
    return [
      {
        logicalId: id,
        constructId: constructId(res, id),
        name: localRuleName(r0, id),
        arn: String(r0.getAtt(id, 'Arn')),
        scheduleExpression: p.ScheduleExpression,
        enabled: (p.State ?? 'ENABLED') === 'ENABLED',
        targets,
      },
    ];
  });

  const functions = (local: LocalValues): LocalFunction[] => {
    const r = new Resolver(template, { ...local, stackName: opts.stackName });
    const out: LocalFunction[] = [];
    for (const [id, res] of ofType('AWS::Lambda::Function')) {
      const entry = res.Metadata?.[ENTRY_METADATA];
      if (typeof entry !== 'string') {
        warnings.push(`Function ${id} has no ${ENTRY_METADATA} metadata and cannot run locally`);
        continue;
      }
      const env =
        (res.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      const environment: Record<string, string> = {};
      for (const [name, value] of Object.entries(env)) environment[name] = r.string(value, `${id} ${name}`);
      const handler = String(r.property(id, 'Handler') ?? 'index.handler');
      const invokeConfig = asyncConfigs.get(id);
      const deadLetter = (r.property(id, 'DeadLetterConfig') as { TargetArn?: string } | undefined)
        ?.TargetArn;
      const onFailure = invokeConfig?.onFailureArn ?? deadLetter;
      if (onFailure && !onFailure.startsWith('arn:aws:sqs:')) {
        warnings.push(`Function ${id}: only SQS on-failure destinations of async invocations are emulated`);
      }
      out.push({
        logicalId: id,
        constructId: constructId(res, id),
        name: localFunctionName(r, id),
        arn: String(r.getAtt(id, 'Arn')),
        entry: resolve(root, entry),
        handlerExport: handler.slice(handler.lastIndexOf('.') + 1) || 'handler',
        environment,
        timeoutSeconds: Number(r.property(id, 'Timeout') ?? 3),
        memoryMb: Number(r.property(id, 'MemorySize') ?? 128),
        runtime: String(r.property(id, 'Runtime') ?? 'nodejs'),
        asyncRetryAttempts: invokeConfig?.maxRetryAttempts,
        asyncOnFailure:
          onFailure?.startsWith('arn:aws:sqs:') === true
            ? { queueArn: onFailure, kind: invokeConfig?.onFailureArn ? 'destination' : 'dead-letter' }
            : undefined,
      });
    }
    return out;
  };

  const mappings = (local: LocalValues): LocalMapping[] => {
    const r = new Resolver(template, { ...local, stackName: opts.stackName });
    const out: LocalMapping[] = [];
    for (const [id, res] of ofType('AWS::Lambda::EventSourceMapping')) {
      const raw = res.Properties ?? {};
      if (queueIdOf(raw.EventSourceArn)) continue;
      const tableId = referencedIds(raw.EventSourceArn).find(
        (ref) => template.Resources[ref]?.Type === 'AWS::DynamoDB::Table',
      );
      const functionId = referencedIds(raw.FunctionName).find(
        (ref) => template.Resources[ref]?.Type === 'AWS::Lambda::Function',
      );
      if (!tableId || !functionId) {
        warnings.push(
          `Event source mapping ${id}: only DynamoDB stream and SQS sources run locally; it is left out`,
        );
        continue;
      }
      const p = r.resolve(raw) as Record<string, unknown>;
      const filters = filterPatternsOf(id, p);
      if (p.TumblingWindowInSeconds)
        warnings.push(`Event source mapping ${id}: tumbling windows are not emulated`);
      const destination = (p.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)
        ?.OnFailure?.Destination;
      out.push({
        logicalId: id,
        functionId,
        tableId,
        streamArn: String(p.EventSourceArn),
        batchSize: Number(p.BatchSize ?? 100),
        maxBatchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
        startingPosition: p.StartingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
        filterPatterns: filters,
        reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes(
          'ReportBatchItemFailures',
        ),
        maxRetryAttempts: Number(p.MaximumRetryAttempts ?? -1),
        bisectOnError: Boolean(p.BisectBatchOnFunctionError),
        maxRecordAgeSeconds: Number(p.MaximumRecordAgeInSeconds ?? -1),
        parallelizationFactor: Number(p.ParallelizationFactor ?? 1),
        onFailureArn: destination,
        enabled: p.Enabled !== false,
      });
    }
    return out;
  };

  const queueIdOf = (arn: unknown) =>
    referencedIds(arn).find((ref) => template.Resources[ref]?.Type === 'AWS::SQS::Queue');

  const queueMappings = (local: LocalValues): LocalQueueMapping[] => {
    const r = new Resolver(template, { ...local, stackName: opts.stackName });
    const out: LocalQueueMapping[] = [];
    for (const [id, res] of ofType('AWS::Lambda::EventSourceMapping')) {
      const raw = res.Properties ?? {};
      const queueId = queueIdOf(raw.EventSourceArn);
      if (!queueId) continue;
      const functionId = referencedIds(raw.FunctionName).find(
        (ref) => template.Resources[ref]?.Type === 'AWS::Lambda::Function',
      );
      if (!functionId) {
        warnings.push(`Event source mapping ${id}: its function is not in the template; it is left out`);
        continue;
      }
      const p = r.resolve(raw) as Record<string, unknown>;
      const queue = queues.find((q) => q.logicalId === queueId);
      const batchSize = Number(p.BatchSize ?? 10);
      const window = Number(p.MaximumBatchingWindowInSeconds ?? 0);
      const maxBatch = queue?.fifo ? 10 : 10_000;
      // CloudFormation refuses these; locally the mapping is left out with the reason.
      const refused =
        !Number.isInteger(batchSize) || batchSize < 1 || batchSize > maxBatch
          ? `BatchSize ${p.BatchSize} is outside 1 to ${maxBatch}`
          : batchSize > 10 && window < 1
            ? `BatchSize ${batchSize} above 10 needs MaximumBatchingWindowInSeconds of at least 1`
            : !Number.isInteger(window) || window < 0 || window > 300
              ? `MaximumBatchingWindowInSeconds ${p.MaximumBatchingWindowInSeconds} is outside 0 to 300`
              : undefined;
      if (refused) {
        warnings.push(`Event source mapping ${id}: ${refused} (AWS refuses it); it is left out`);
        continue;
      }
      const scaling = p.ScalingConfig as { MaximumConcurrency?: number } | undefined;
      out.push({
        logicalId: id,
        functionId,
        queueId,
        queueName: queue?.name ?? queueId,
        queueArn: String(p.EventSourceArn),
        batchSize,
        maxBatchingWindowSeconds: window,
        maxConcurrency:
          scaling?.MaximumConcurrency === undefined ? undefined : Number(scaling.MaximumConcurrency),
        filterPatterns: filterPatternsOf(id, p),
        reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes(
          'ReportBatchItemFailures',
        ),
        enabled: p.Enabled !== false,
      });
    }
    return out;
  };

  return {
    tables,
    topics,
    queues,
    configurationSets,
    subscriptions,
    rules,
    routes,
    cors,
    warnings,
    functions,
    mappings,
    queueMappings,
  };
}

/** The CreateQueue attributes an AWS::SQS::Queue's properties carry (same names). */
const QUEUE_ATTRIBUTES = [
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'DelaySeconds',
  'FifoQueue',
  'FifoThroughputLimit',
  'KmsDataKeyReusePeriodSeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'RedriveAllowPolicy',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
];

function filterPatternsOf(id: string, p: Record<string, unknown>): unknown[] {
  return ((p.FilterCriteria as { Filters?: { Pattern?: string }[] } | undefined)?.Filters ?? []).map((f) => {
    try {
      return JSON.parse(f.Pattern ?? '{}') as unknown;
    } catch {
      throw new Error(`Event source mapping ${id}: filter pattern is not JSON: ${f.Pattern}`);
    }
  });
}

/** Logical ids named by Ref / Fn::GetAtt anywhere inside a value. */
export function referencedIds(value: unknown): string[] {
  const ids: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const [k, inner] of Object.entries(v)) {
      if (k === 'Ref' && typeof inner === 'string') ids.push(inner);
      else if (k === 'Fn::GetAtt')
        ids.push(Array.isArray(inner) ? String(inner[0]) : (String(inner).split('.')[0] ?? ''));
      else walk(inner);
    }
  };
  walk(value);
  return ids;
}

/** `Pulso/Capture/SurveyPage/Resource` -> `SurveyPage`; the logical id when there is no CDK path. */
function constructId(res: CfnResource, id: string): string {
  const path = res.Metadata?.['aws:cdk:path'];
  if (typeof path !== 'string') return id;
  const parts = path.split('/');
  const last = parts.at(-1);
  return (last === 'Resource' || last === 'Default' ? parts.at(-2) : last) ?? id;
}
