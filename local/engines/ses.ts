import { randomUUID } from 'node:crypto';
import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import sesModule from 'aws-ses-v2-local';
import { type AddressObject, type EmailAddress, simpleParser } from 'mailparser';
import { type Clock, systemClock } from '../clock.ts';
import { listen, PORT_OWNERS, urlHost } from '../ports.ts';

type StartSesServer = (config: { port: number; host: string }) => Promise<Server>;
// The package is CommonJS with an `exports.default`; Node's ESM import hands over module.exports.
const startSesServer: StartSesServer =
  (sesModule as unknown as { default?: StartSesServer }).default ?? (sesModule as unknown as StartSesServer);

const MAX_KEPT_MAILS = 10_000;
const SES_XMLNS = 'http://ses.amazonaws.com/doc/2010-12-01/';

export interface MailHeader {
  readonly name: string;
  readonly value: string;
}

/** What SES keeps of a sent mail for event publishing (aws-ses-v2-local keeps neither tags nor headers). */
export interface SentMail {
  readonly messageId: string;
  readonly api: 'SendEmail' | 'SendRawEmail' | 'v2.SendEmail';
  /** ISO time of the send. */
  readonly timestamp: string;
  readonly source: string;
  /** Every recipient (To, Cc, Bcc, or the raw send's Destinations), as given. */
  readonly destination: readonly string[];
  readonly configurationSetName?: string;
  /** Message tags (the `Tags` parameter, v2 `EmailTags`, or the X-SES-MESSAGE-TAGS header). */
  readonly tags: Readonly<Record<string, string>>;
  /** The message's headers in order (X-SES-* headers removed, as SES does). */
  readonly headers: readonly MailHeader[];
  readonly commonHeaders: Readonly<Record<string, string | readonly string[]>>;
}

export interface SesEngine {
  /** SES endpoint for AWS_ENDPOINT_URL_SES; its root page is the mailbox. */
  readonly url: string;
  readonly port: number;
  /** Successful sends since start, oldest first, with their tags, headers and configuration set. */
  sent(): readonly SentMail[];
  /** Calls `listener` with every successful send before the caller hears back; answers the unsubscribe function. */
  onSent(listener: (mail: SentMail) => void): () => void;
  /**
   * The configuration sets that exist: a send naming another one fails with ConfigurationSetDoesNotExist, as on
   * SES. Undefined (the default) accepts any name.
   */
  setConfigurationSets(names: readonly string[] | undefined): void;
  stop(): Promise<void>;
}

/** A send request as read before it is forwarded. */
interface SendRequest {
  readonly api: SentMail['api'];
  readonly configurationSetName?: string;
  readonly tags: Record<string, string>;
  readonly source?: string;
  /** Explicit recipients; a raw send without Destinations takes them from its headers. */
  readonly destination: string[];
  readonly raw?: Buffer;
  readonly simple?: { subject: string; replyTo: string[]; to: string[]; cc: string[]; headers: MailHeader[] };
}

/**
 * Starts aws-ses-v2-local in this process behind a thin HTTP front on the public port. The front forwards every
 * request (mailbox page at the root URL, `GET /store` JSON, the SES APIs) and reads what aws-ses-v2-local drops
 * from successful sends: configuration set, tags, recipients and headers, for event publishing
 * (local/ses-events.ts). The mailbox store is global to the module, so two runtimes in one process share one.
 */
export async function startSes(opts: {
  port: number;
  host?: string;
  /** Stamps the sends. @default the system clock */
  clock?: Clock;
}): Promise<SesEngine> {
  const host = opts.host ?? '127.0.0.1';
  const clock = opts.clock ?? systemClock;
  const inner: Server = await startSesServer({ port: 0, host: '127.0.0.1' });
  const innerAddress = inner.address();
  const innerPort = typeof innerAddress === 'object' && innerAddress ? innerAddress.port : 0;
  const agent = new Agent({ keepAlive: true });
  const listeners = new Set<(mail: SentMail) => void>();
  let mails: SentMail[] = [];
  let knownSets: Set<string> | undefined;

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const out = request(
        {
          host: '127.0.0.1',
          port: innerPort,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, 'content-length': String(body.length) },
          agent,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('end', () =>
            resolve({
              status: answer.statusCode ?? 502,
              headers: answer.headers,
              body: Buffer.concat(chunks),
            }),
          );
          answer.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    let send: SendRequest | undefined;
    try {
      send = readSendRequest(req, body);
    } catch {
      send = undefined; // aws-ses-v2-local answers malformed requests itself.
    }
    const setName = send?.configurationSetName;
    if (send && setName !== undefined && knownSets && !knownSets.has(setName)) {
      configurationSetMissing(res, send.api, setName);
      return;
    }
    const answer = await forward(req, body);
    if (send && answer.status === 200) {
      const messageId = messageIdOf(answer.body.toString('utf8'));
      if (messageId) {
        const mail = await sentMail(send, messageId, clock.now()).catch((err: unknown) => {
          console.error(`[pulso] SES front could not read mail ${messageId}:`, err);
          return undefined;
        });
        if (mail) {
          mails.push(mail);
          if (mails.length > MAX_KEPT_MAILS) mails = mails.slice(-MAX_KEPT_MAILS);
          for (const listener of listeners) listener(mail);
        }
      }
    }
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    delete headers['keep-alive'];
    res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
    res.end(answer.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`SES front: ${String(err)}`);
      }
    });
  });

  let port: number;
  try {
    port = await listen(server, opts.port, host, PORT_OWNERS.ses);
  } catch (err) {
    await closeServer(inner);
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}/`,
    port,
    sent: () => mails,
    onSent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setConfigurationSets(names) {
      knownSets = names ? new Set(names) : undefined;
    },
    stop() {
      stopped ??= Promise.all([closeServer(server), closeServer(inner)]).then(() => agent.destroy());
      return stopped;
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The send a request makes (v1 SendEmail / SendRawEmail in awsQuery form, v2 SendEmail in JSON), if any. */
function readSendRequest(req: IncomingMessage, body: Buffer): SendRequest | undefined {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'POST') return undefined;
  if (path === '/' && (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    const p = new URLSearchParams(body.toString('utf8'));
    const action = p.get('Action');
    if (action !== 'SendEmail' && action !== 'SendRawEmail') return undefined;
    const tags: Record<string, string> = {};
    for (const i of memberIndexes(p, 'Tags.member')) {
      const name = p.get(`Tags.member.${i}.Name`);
      if (name) tags[name] = p.get(`Tags.member.${i}.Value`) ?? '';
    }
    const common = {
      configurationSetName: p.get('ConfigurationSetName') ?? undefined,
      tags,
      source: p.get('Source') ?? undefined,
    };
    if (action === 'SendRawEmail') {
      return {
        api: 'SendRawEmail',
        ...common,
        destination: members(p, 'Destinations.member'),
        raw: Buffer.from(p.get('RawMessage.Data') ?? '', 'base64'),
      };
    }
    const to = members(p, 'Destination.ToAddresses.member');
    const cc = members(p, 'Destination.CcAddresses.member');
    const bcc = members(p, 'Destination.BccAddresses.member');
    return {
      api: 'SendEmail',
      ...common,
      destination: [...to, ...cc, ...bcc],
      simple: {
        subject: p.get('Message.Subject.Data') ?? '',
        replyTo: members(p, 'ReplyToAddresses.member'),
        to,
        cc,
        headers: [],
      },
    };
  }
  if (path === '/v2/email/outbound-emails') {
    const input = JSON.parse(body.toString('utf8')) as V2SendEmail;
    const tags: Record<string, string> = {};
    for (const tag of input.EmailTags ?? []) tags[tag.Name] = tag.Value;
    const to = input.Destination?.ToAddresses ?? [];
    const cc = input.Destination?.CcAddresses ?? [];
    const bcc = input.Destination?.BccAddresses ?? [];
    const raw = input.Content?.Raw?.Data;
    const simple = input.Content?.Simple ?? input.Content?.Template;
    return {
      api: 'v2.SendEmail',
      configurationSetName: input.ConfigurationSetName,
      tags,
      source: input.FromEmailAddress,
      destination: [...to, ...cc, ...bcc],
      raw: raw ? Buffer.from(raw, 'base64') : undefined,
      simple: raw
        ? undefined
        : {
            subject: input.Content?.Simple?.Subject?.Data ?? '',
            replyTo: input.ReplyToAddresses ?? [],
            to,
            cc,
            headers: (simple?.Headers ?? []).map((h) => ({ name: h.Name, value: h.Value })),
          },
    };
  }
  return undefined;
}

interface V2SendEmail {
  ConfigurationSetName?: string;
  FromEmailAddress?: string;
  ReplyToAddresses?: string[];
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  EmailTags?: { Name: string; Value: string }[];
  Content?: {
    Raw?: { Data?: string };
    Simple?: { Subject?: { Data?: string }; Headers?: { Name: string; Value: string }[] };
    Template?: { Headers?: { Name: string; Value: string }[] };
  };
}

async function sentMail(send: SendRequest, messageId: string, sentAt: number): Promise<SentMail> {
  const timestamp = new Date(sentAt).toISOString();
  if (send.raw) {
    const parsed = await simpleParser(send.raw, {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
    });
    const all: MailHeader[] = parsed.headerLines.map(({ line }) => {
      const colon = line.indexOf(':');
      return {
        name: line.slice(0, colon).trim(),
        value: line
          .slice(colon + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim(),
      };
    });
    const header = (name: string) => all.find((h) => h.name.toLowerCase() === name)?.value;
    const tags = { ...parseTagHeader(header('x-ses-message-tags')), ...send.tags };
    const configurationSetName = send.configurationSetName ?? header('x-ses-configuration-set');
    // SES strips its own control headers and Bcc before sending.
    const headers = all.filter((h) => !/^(x-ses-|bcc$)/i.test(h.name));
    const to = addresses(parsed.to);
    const cc = addresses(parsed.cc);
    const bcc = addresses(parsed.bcc);
    const from = addresses(parsed.from);
    return {
      messageId,
      api: send.api,
      timestamp,
      source: send.source ?? from[0] ?? '',
      destination: send.destination.length > 0 ? send.destination : [...to, ...cc, ...bcc],
      configurationSetName,
      tags,
      headers,
      commonHeaders: compact({
        from,
        replyTo: addresses(parsed.replyTo),
        to,
        cc,
        date: header('date'),
        messageId,
        subject: parsed.subject,
      }),
    };
  }
  const simple = send.simple ?? { subject: '', replyTo: [], to: [], cc: [], headers: [] };
  const source = send.source ?? '';
  const headers: MailHeader[] = [
    { name: 'From', value: source },
    ...(simple.replyTo.length > 0 ? [{ name: 'Reply-To', value: simple.replyTo.join(', ') }] : []),
    { name: 'To', value: simple.to.join(', ') },
    ...(simple.cc.length > 0 ? [{ name: 'Cc', value: simple.cc.join(', ') }] : []),
    { name: 'Subject', value: simple.subject },
    { name: 'MIME-Version', value: '1.0' },
    { name: 'Content-Type', value: `multipart/alternative; boundary="----=_Part_${messageId}"` },
    ...simple.headers,
  ];
  return {
    messageId,
    api: send.api,
    timestamp,
    source,
    destination: send.destination,
    configurationSetName: send.configurationSetName,
    tags: send.tags,
    headers,
    commonHeaders: compact({
      from: [source],
      replyTo: simple.replyTo,
      to: simple.to,
      cc: simple.cc,
      messageId,
      subject: simple.subject,
    }),
  };
}

/** `X-SES-MESSAGE-TAGS: campaign=c1, invitation=i1`. */
function parseTagHeader(value: string | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const [name, ...rest] = pair.split('=');
    if (name?.trim()) tags[name.trim()] = rest.join('=').trim();
  }
  return tags;
}

function addresses(field: AddressObject | readonly AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field as AddressObject];
  const flat = (list: readonly EmailAddress[]): EmailAddress[] =>
    list.flatMap((a) => (a.group ? flat(a.group) : [a]));
  return objects
    .flatMap((o) => flat(o.value))
    .filter((a) => a.address)
    .map((a) => (a.name ? `${a.name} <${a.address}>` : (a.address ?? '')));
}

/** Drops empty lists and undefined values, as SES leaves absent headers out of commonHeaders. */
function compact(
  headers: Record<string, string | readonly string[] | undefined>,
): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

function memberIndexes(p: URLSearchParams, prefix: string): number[] {
  const found = new Set<number>();
  for (const key of p.keys()) {
    if (!key.startsWith(`${prefix}.`)) continue;
    const n = Number(key.slice(prefix.length + 1).split('.')[0]);
    if (Number.isInteger(n)) found.add(n);
  }
  return [...found].sort((a, b) => a - b);
}

function members(p: URLSearchParams, prefix: string): string[] {
  return memberIndexes(p, prefix)
    .map((i) => p.get(`${prefix}.${i}`))
    .filter((v): v is string => Boolean(v));
}

function messageIdOf(body: string): string | undefined {
  const xml = /<MessageId>([^<]+)<\/MessageId>/.exec(body);
  if (xml) return xml[1];
  try {
    const json = JSON.parse(body) as { MessageId?: unknown };
    return typeof json.MessageId === 'string' ? json.MessageId : undefined;
  } catch {
    return undefined;
  }
}

function configurationSetMissing(res: ServerResponse, api: SentMail['api'], name: string): void {
  const message = `Configuration set <${name}> does not exist.`;
  const requestId = randomUUID();
  if (api === 'v2.SendEmail') {
    res.writeHead(404, {
      'content-type': 'application/json',
      'x-amzn-errortype': 'NotFoundException',
      'x-amzn-requestid': requestId,
    });
    res.end(JSON.stringify({ message }));
    return;
  }
  res.writeHead(400, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(
    `<ErrorResponse xmlns="${SES_XMLNS}"><Error><Type>Sender</Type><Code>ConfigurationSetDoesNotExist</Code>` +
      `<Message>${message.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}
