import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type Clock, systemClock } from '../clock.ts';
import { listen, PORT_OWNERS, urlHost } from '../ports.ts';

// @aws-sdk/client-sns speaks awsQuery: form-urlencoded requests (Action=...), XML answers.
const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_KEPT_MESSAGES = 10_000;

export interface SnsMessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

export interface SnsMessage {
  readonly messageId: string;
  /** Topic the message was published to; absent for direct SMS or endpoint publishes. */
  readonly topicArn?: string;
  readonly topicName?: string;
  readonly phoneNumber?: string;
  readonly targetArn?: string;
  readonly subject?: string;
  readonly message: string;
  readonly messageAttributes: Record<string, SnsMessageAttribute>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  /** ISO 8601 time of the publish. */
  readonly timestamp: string;
}

export interface SnsTopic {
  readonly arn: string;
  readonly name: string;
  readonly attributes: Record<string, string>;
}

export interface SnsSubscription {
  readonly subscriptionArn: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  /** Subscription attributes such as `FilterPolicy` (JSON text) and `FilterPolicyScope`. */
  readonly attributes: Record<string, string>;
}

export interface SubscribeInput {
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly attributes?: Record<string, string>;
}

export interface SnsEngine {
  /** SNS endpoint for AWS_ENDPOINT_URL_SNS; `GET /` is the inbox page. */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  topicArn(name: string): string;
  createTopic(name: string, attributes?: Record<string, string>): string;
  publish(input: PublishInput): SnsMessage;
  subscribe(input: SubscribeInput): SnsSubscription;
  /** Subscriptions of one topic, or of all. */
  subscriptions(topicArn?: string): readonly SnsSubscription[];
  /** Calls `listener` synchronously with every published message; answers the unsubscribe function. */
  onPublish(listener: (message: SnsMessage) => void): () => void;
  messages(): readonly SnsMessage[];
  clear(): void;
  stop(): Promise<void>;
}

export interface PublishInput {
  readonly topicArn?: string;
  readonly targetArn?: string;
  readonly phoneNumber?: string;
  readonly message: string;
  readonly subject?: string;
  readonly messageAttributes?: Record<string, SnsMessageAttribute>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

class SnsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** An SNS-compatible endpoint that keeps every published message for the inbox page. */
export async function startSns(opts: {
  port: number;
  host?: string;
  region?: string;
  accountId?: string;
  /** Stamps the messages. @default the system clock */
  clock?: Clock;
}): Promise<SnsEngine> {
  const host = opts.host ?? '127.0.0.1';
  const clock = opts.clock ?? systemClock;
  const region = opts.region ?? 'us-east-1';
  const accountId = opts.accountId ?? '000000000000';
  const topics = new Map<string, SnsTopic>();
  const subscriptions: SnsSubscription[] = [];
  const listeners = new Set<(message: SnsMessage) => void>();
  let inbox: SnsMessage[] = [];

  const topicArn = (name: string) => `arn:aws:sns:${region}:${accountId}:${name}`;

  const createTopic = (name: string, attributes: Record<string, string> = {}): string => {
    if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name)) {
      throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Topic Name');
    }
    const arn = topicArn(name);
    if (!topics.has(arn)) topics.set(arn, { arn, name, attributes: { ...attributes } });
    return arn;
  };

  const requireTopic = (arn: string | undefined): SnsTopic => {
    if (!arn) throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: TopicArn');
    const topic = topics.get(arn);
    if (!topic) throw new SnsError(404, 'NotFound', 'Topic does not exist');
    return topic;
  };

  const publish = (input: PublishInput): SnsMessage => {
    const targets = [input.topicArn, input.targetArn, input.phoneNumber].filter(Boolean).length;
    if (targets !== 1) {
      throw new SnsError(
        400,
        'InvalidParameter',
        'Invalid parameter: give exactly one of TopicArn, TargetArn, PhoneNumber',
      );
    }
    if (!input.message) throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Empty message');
    if (Buffer.byteLength(input.message) > MAX_MESSAGE_BYTES) {
      throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Message too long');
    }
    if (input.subject !== undefined && (input.subject.length > 100 || /[\r\n]/.test(input.subject))) {
      throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Subject');
    }
    const attributes = input.messageAttributes ?? {};
    if (Object.keys(attributes).length > 10) {
      throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Too many message attributes');
    }
    for (const [name, attr] of Object.entries(attributes)) {
      if (!/^(String|Number|Binary)(\..+)?$/.test(attr.DataType)) {
        throw new SnsError(
          400,
          'ParameterValueInvalid',
          `The message attribute '${name}' has an invalid type.`,
        );
      }
      if (attr.StringValue === undefined && attr.BinaryValue === undefined) {
        throw new SnsError(
          400,
          'ParameterValueInvalid',
          `The message attribute '${name}' must contain a value.`,
        );
      }
    }
    const topic = input.topicArn ? requireTopic(input.topicArn) : undefined;
    const message: SnsMessage = {
      messageId: randomUUID(),
      topicArn: topic?.arn,
      topicName: topic?.name,
      phoneNumber: input.phoneNumber,
      targetArn: input.targetArn,
      subject: input.subject,
      message: input.message,
      messageAttributes: attributes,
      messageGroupId: input.messageGroupId,
      messageDeduplicationId: input.messageDeduplicationId,
      timestamp: new Date(clock.now()).toISOString(),
    };
    inbox.push(message);
    if (inbox.length > MAX_KEPT_MESSAGES) inbox = inbox.slice(-MAX_KEPT_MESSAGES);
    for (const listener of listeners) listener(message);
    return message;
  };

  const subscribe = (input: SubscribeInput): SnsSubscription => {
    const topic = requireTopic(input.topicArn);
    if (!input.protocol) throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Protocol');
    const attributes = { ...input.attributes };
    if (attributes.FilterPolicy !== undefined) {
      try {
        JSON.parse(attributes.FilterPolicy);
      } catch {
        throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: FilterPolicy: not JSON');
      }
    }
    // Like SNS, the same topic, protocol and endpoint is one subscription.
    const existing = subscriptions.find(
      (s) => s.topicArn === topic.arn && s.protocol === input.protocol && s.endpoint === input.endpoint,
    );
    if (existing) return existing;
    const subscription: SnsSubscription = {
      subscriptionArn: `${topic.arn}:${randomUUID()}`,
      topicArn: topic.arn,
      protocol: input.protocol,
      endpoint: input.endpoint,
      attributes,
    };
    subscriptions.push(subscription);
    return subscription;
  };

  const actions: Record<string, (p: URLSearchParams) => string> = {
    CreateTopic(p) {
      const arn = createTopic(p.get('Name') ?? '', entryMap(p, 'Attributes.entry', 'key', 'value'));
      return `<TopicArn>${xml(arn)}</TopicArn>`;
    },
    ListTopics() {
      const members = [...topics.values()].map((t) => `<member><TopicArn>${xml(t.arn)}</TopicArn></member>`);
      return `<Topics>${members.join('')}</Topics>`;
    },
    GetTopicAttributes(p) {
      const topic = requireTopic(p.get('TopicArn') ?? undefined);
      const subs = subscriptions.filter((s) => s.topicArn === topic.arn).length;
      const attributes: Record<string, string> = {
        TopicArn: topic.arn,
        Owner: accountId,
        DisplayName: '',
        SubscriptionsConfirmed: String(subs),
        SubscriptionsPending: '0',
        SubscriptionsDeleted: '0',
        ...topic.attributes,
      };
      const entries = Object.entries(attributes).map(
        ([k, v]) => `<entry><key>${xml(k)}</key><value>${xml(v)}</value></entry>`,
      );
      return `<Attributes>${entries.join('')}</Attributes>`;
    },
    SetTopicAttributes(p) {
      const topic = requireTopic(p.get('TopicArn') ?? undefined);
      const name = p.get('AttributeName');
      if (!name) throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: AttributeName');
      topic.attributes[name] = p.get('AttributeValue') ?? '';
      return '';
    },
    DeleteTopic(p) {
      topics.delete(p.get('TopicArn') ?? '');
      return '';
    },
    Subscribe(p) {
      const subscription = subscribe({
        topicArn: p.get('TopicArn') ?? '',
        protocol: p.get('Protocol') ?? '',
        endpoint: p.get('Endpoint') ?? '',
        attributes: entryMap(p, 'Attributes.entry', 'key', 'value'),
      });
      return `<SubscriptionArn>${xml(subscription.subscriptionArn)}</SubscriptionArn>`;
    },
    ListSubscriptions() {
      return `<Subscriptions>${subscriptions.map(subscriptionXml).join('')}</Subscriptions>`;
    },
    ListSubscriptionsByTopic(p) {
      const topic = requireTopic(p.get('TopicArn') ?? undefined);
      const members = subscriptions.filter((s) => s.topicArn === topic.arn).map(subscriptionXml);
      return `<Subscriptions>${members.join('')}</Subscriptions>`;
    },
    Publish(p) {
      const published = publish({
        topicArn: p.get('TopicArn') ?? undefined,
        targetArn: p.get('TargetArn') ?? undefined,
        phoneNumber: p.get('PhoneNumber') ?? undefined,
        message: p.get('Message') ?? '',
        subject: p.get('Subject') ?? undefined,
        messageAttributes: messageAttributes(p, 'MessageAttributes.entry'),
        messageGroupId: p.get('MessageGroupId') ?? undefined,
        messageDeduplicationId: p.get('MessageDeduplicationId') ?? undefined,
      });
      return `<MessageId>${published.messageId}</MessageId>`;
    },
    PublishBatch(p) {
      const topic = requireTopic(p.get('TopicArn') ?? undefined);
      const entries = indexes(p, 'PublishBatchRequestEntries.member');
      if (entries.length === 0)
        throw new SnsError(400, 'EmptyBatchRequest', 'The batch request does not contain any entries.');
      if (entries.length > 10)
        throw new SnsError(
          400,
          'TooManyEntriesInBatchRequest',
          'The batch request contains more entries than permissible.',
        );
      const ids = entries.map((i) => p.get(`PublishBatchRequestEntries.member.${i}.Id`) ?? '');
      if (new Set(ids).size !== ids.length) {
        throw new SnsError(
          400,
          'BatchEntryIdsNotDistinct',
          'Two or more batch entries in the request have the same Id.',
        );
      }
      const ok: string[] = [];
      const failed: string[] = [];
      for (const [n, i] of entries.entries()) {
        const prefix = `PublishBatchRequestEntries.member.${i}`;
        const id = ids[n] ?? '';
        try {
          const published = publish({
            topicArn: topic.arn,
            message: p.get(`${prefix}.Message`) ?? '',
            subject: p.get(`${prefix}.Subject`) ?? undefined,
            messageAttributes: messageAttributes(p, `${prefix}.MessageAttributes.entry`),
            messageGroupId: p.get(`${prefix}.MessageGroupId`) ?? undefined,
            messageDeduplicationId: p.get(`${prefix}.MessageDeduplicationId`) ?? undefined,
          });
          ok.push(`<member><Id>${xml(id)}</Id><MessageId>${published.messageId}</MessageId></member>`);
        } catch (err) {
          if (!(err instanceof SnsError)) throw err;
          failed.push(
            `<member><Id>${xml(id)}</Id><Code>${xml(err.code)}</Code><Message>${xml(err.message)}</Message>` +
              `<SenderFault>true</SenderFault></member>`,
          );
        }
      }
      return `<Successful>${ok.join('')}</Successful><Failed>${failed.join('')}</Failed>`;
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendXml(res, 500, errorXml('Receiver', 'InternalError', String(err)));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && (url.pathname === '/messages' || (url.pathname === '/' && wantsJson(req)))) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(inbox));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(inboxPage(inbox, [...topics.values()], `http://${req.headers.host ?? 'localhost'}/`));
      return;
    }
    if (req.method === 'DELETE' && url.pathname === '/messages') {
      inbox = [];
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const params = new URLSearchParams(await readBody(req));
    const action = params.get('Action') ?? '';
    const run = actions[action];
    if (!run) {
      sendXml(
        res,
        400,
        errorXml(
          'Sender',
          'InvalidAction',
          `The action ${action || '(none)'} is not valid for this endpoint.`,
        ),
      );
      return;
    }
    try {
      const result = run(params);
      const body = result ? `<${action}Result>${result}</${action}Result>` : '';
      sendXml(
        res,
        200,
        `<${action}Response xmlns="${XMLNS}">${body}<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
      );
    } catch (err) {
      if (!(err instanceof SnsError)) throw err;
      sendXml(res, err.status, errorXml(err.type, err.code, err.message));
    }
  }

  const port = await listen(server, opts.port, host, PORT_OWNERS.sns);
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}/`,
    port,
    region,
    accountId,
    topicArn,
    createTopic,
    publish,
    subscribe,
    subscriptions: (arn) => subscriptions.filter((s) => arn === undefined || s.topicArn === arn),
    onPublish(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    messages: () => inbox,
    clear: () => {
      inbox = [];
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

function wantsJson(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('application/json');
}

/**
 * A request's body as text (the SQS engine and the OpenID provider's login form read theirs with it too); past
 * `maxBytes` the request is destroyed and the promise rejects.
 */
export function readBody(req: IncomingMessage, maxBytes = Number.POSITIVE_INFINITY): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) req.destroy(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Sorted list indexes N of keys `${prefix}.N...`. */
function indexes(p: URLSearchParams, prefix: string): number[] {
  const found = new Set<number>();
  for (const key of p.keys()) {
    if (!key.startsWith(`${prefix}.`)) continue;
    const n = Number(key.slice(prefix.length + 1).split('.')[0]);
    if (Number.isInteger(n)) found.add(n);
  }
  return [...found].sort((a, b) => a - b);
}

function entryMap(
  p: URLSearchParams,
  prefix: string,
  keyName: string,
  valueName: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of indexes(p, prefix)) {
    const key = p.get(`${prefix}.${i}.${keyName}`);
    if (key) out[key] = p.get(`${prefix}.${i}.${valueName}`) ?? '';
  }
  return out;
}

function messageAttributes(p: URLSearchParams, prefix: string): Record<string, SnsMessageAttribute> {
  const out: Record<string, SnsMessageAttribute> = {};
  for (const i of indexes(p, prefix)) {
    const name = p.get(`${prefix}.${i}.Name`);
    if (!name) continue;
    const stringValue = p.get(`${prefix}.${i}.Value.StringValue`);
    const binaryValue = p.get(`${prefix}.${i}.Value.BinaryValue`);
    out[name] = {
      DataType: p.get(`${prefix}.${i}.Value.DataType`) ?? '',
      ...(stringValue !== null ? { StringValue: stringValue } : {}),
      ...(binaryValue !== null ? { BinaryValue: binaryValue } : {}),
    };
  }
  return out;
}

function subscriptionXml(s: SnsSubscription): string {
  return (
    `<member><TopicArn>${xml(s.topicArn)}</TopicArn><Protocol>${xml(s.protocol)}</Protocol>` +
    `<SubscriptionArn>${xml(s.subscriptionArn)}</SubscriptionArn><Owner>000000000000</Owner>` +
    `<Endpoint>${xml(s.endpoint)}</Endpoint></member>`
  );
}

function errorXml(type: string, code: string, message: string): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${xml(type)}</Type><Code>${xml(code)}</Code>` +
    `<Message>${xml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

function sendXml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
  res.end(`<?xml version="1.0"?>\n${body}`);
}

function xml(value: string): string {
  return value.replace(/[<>&'"\r]/g, (c) =>
    c === '<'
      ? '&lt;'
      : c === '>'
        ? '&gt;'
        : c === '&'
          ? '&amp;'
          : c === "'"
            ? '&apos;'
            : c === '"'
              ? '&quot;'
              : '&#13;',
  );
}

/** HTML escaping for the inbox page: messages quote customer text, so everything is escaped. */
export function escapeHtml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&#39;' : '&quot;',
  );
}

function inboxPage(messages: readonly SnsMessage[], topics: readonly SnsTopic[], base: string): string {
  const rows = [...messages]
    .reverse()
    .map((m) => {
      const attrs = Object.entries(m.messageAttributes)
        .map(
          ([k, v]) =>
            `<li><code>${escapeHtml(k)}</code> (${escapeHtml(v.DataType)}): ${escapeHtml(v.StringValue ?? v.BinaryValue ?? '')}</li>`,
        )
        .join('');
      const to = m.topicName
        ? `topic ${m.topicName}`
        : m.phoneNumber
          ? `SMS to ${m.phoneNumber}`
          : `endpoint ${m.targetArn ?? ''}`;
      return (
        `<article><header><time datetime="${escapeHtml(m.timestamp)}">${escapeHtml(m.timestamp)}</time> ` +
        `<strong>${escapeHtml(to)}</strong> <span class="id">${escapeHtml(m.messageId)}</span></header>` +
        `<h2>${escapeHtml(m.subject ?? '(no subject)')}</h2>` +
        (attrs ? `<ul>${attrs}</ul>` : '') +
        `<pre>${escapeHtml(m.message)}</pre></article>`
      );
    })
    .join('\n');
  const topicList = topics.map((t) => `<li><code>${escapeHtml(t.arn)}</code></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pulso local SNS inbox (${messages.length})</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a}
article{border:1px solid #ccc;border-radius:6px;padding:.75rem;margin:.75rem 0}
h2{font-size:1.05rem;margin:.4rem 0}pre{white-space:pre-wrap;background:#f5f5f5;padding:.5rem;margin:0}
.id{color:#555;font-size:.8rem}ul{margin:.25rem 0}
</style></head><body>
<h1>Local SNS inbox</h1>
<p>${messages.length} message(s), newest first. <a href="/">Refresh</a> · <a href="/messages">JSON</a>.
Clear with <code>curl -X DELETE ${escapeHtml(base)}messages</code>.</p>
<details><summary>Topics (${topics.length})</summary><ul>${topicList}</ul></details>
${rows || '<p>No messages yet.</p>'}
</body></html>`;
}
