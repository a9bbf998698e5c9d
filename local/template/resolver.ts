import type { CfnTemplate } from './synth.ts';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

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
/**
 * What the web app's CloudFront name resolves to locally; a URL built on it (`https://<name>/app/`) becomes the
 * local API's, since `npm start` serves the app on the API's origin as CloudFront does on AWS.
 */
const LOCAL_DISTRIBUTION = 'distribution.pulso.local';

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
        return this.localAppUrl(refersToApi(this.template, list) ? this.localApiUrl(joined) : joined);
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
        return this.localAppUrl(
          apiIds.some((id) => text.includes(`\${${id}`)) ? this.localApiUrl(subbed) : subbed,
        );
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

  /** A URL on the web app's distribution becomes the same path on the local API (where the app is served). */
  private localAppUrl(built: string): string {
    const prefix = `https://${LOCAL_DISTRIBUTION}/`;
    return built.startsWith(prefix) ? `${this.local.apiUrl}${built.slice(prefix.length)}` : built;
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
      case 'AWS::S3::Bucket':
        return localBucketName(this, id);
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
      case 'AWS::S3::Bucket.Arn':
        return `arn:aws:s3:::${localBucketName(this, id)}`;
      case 'AWS::Lambda::Function.Arn':
        return `arn:aws:lambda:${this.region}:${this.accountId}:function:${localFunctionName(this, id)}`;
      case 'AWS::ApiGatewayV2::Api.ApiEndpoint':
        return this.local.apiUrl.replace(/\/$/, '');
      case 'AWS::CloudFront::Distribution.DomainName':
        return LOCAL_DISTRIBUTION;
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
export const localTableName = (r: Resolver, id: string) => namedOr(r, id, 'TableName');
export const localTopicName = (r: Resolver, id: string) => namedOr(r, id, 'TopicName');
// CloudFormation names an unnamed FIFO queue with the `.fifo` suffix SQS requires.
export const localQueueName = (r: Resolver, id: string) => {
  const name = namedOr(r, id, 'QueueName');
  const fifo = String(r.property(id, 'FifoQueue') ?? false) === 'true';
  return fifo && !name.endsWith('.fifo') ? `${name}.fifo` : name;
};
export const localFunctionName = (r: Resolver, id: string) => namedOr(r, id, 'FunctionName');
export const localConfigurationSetName = (r: Resolver, id: string) => namedOr(r, id, 'Name');
export const localRuleName = (r: Resolver, id: string) => namedOr(r, id, 'Name');
// Bucket names are lower case; a logical id is not.
export const localBucketName = (r: Resolver, id: string) => namedOr(r, id, 'BucketName').toLowerCase();
