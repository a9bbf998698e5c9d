import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { metaSignature } from '#http/vendor-signatures.ts';
import { type Clock, systemClock } from '../clock.ts';
import { listen, PORT_OWNERS, urlHost } from '../ports.ts';
import { escapeHtml } from './sns.ts';

const MAX_BODY_BYTES = 256 * 1024;
const MAX_KEPT = 10_000;

/** A message Pulso sent through the Cloud API, as the engine took it. */
export interface SentMessage {
  /** The `wamid` the engine answered with. */
  readonly id: string;
  readonly phoneNumberId: string;
  readonly to: string;
  /** `text`, `interactive`, `template`. */
  readonly type: string;
  /** The request's body, as sent. */
  readonly body: Record<string, unknown>;
  readonly at: string;
}

/** A customer's reply delivered to Pulso's webhook, as Meta delivers it. */
export interface Reply {
  readonly from: string;
  readonly text?: string;
  /** A tap on a list row or a button: its id (`csat:4`) and title. */
  readonly choice?: { readonly id: string; readonly title: string };
  /** The phone number id the customer wrote to. @default the engine's */
  readonly phoneNumberId?: string;
  /** The wamid of the reply. @default a new one */
  readonly id?: string;
}

/** The business number the engine stands for, and where its webhooks go. */
export interface GraphAccount {
  /** The access token Pulso must send (`Authorization: Bearer`). */
  readonly accessToken: string;
  /** The phone number id of the demo business number. */
  readonly phoneNumberId: string;
  /** Where Meta would deliver webhooks (Pulso's whatsapp source), and the app secret it signs them with. */
  readonly webhook?: { readonly url: string; readonly appSecret: string };
}

export interface GraphEngineOptions extends Partial<GraphAccount> {
  readonly port: number;
  readonly host?: string;
  readonly clock?: Clock;
}

export interface GraphEngine {
  /** Base URL, ending in `/`: `POST <url>v21.0/<phoneNumberId>/messages`; `GET /` the inbox, `GET /messages` JSON. */
  readonly url: string;
  readonly messages: () => readonly SentMessage[];
  /** Sends a customer's reply to Pulso's webhook, signed with X-Hub-Signature-256 as Meta signs it. */
  reply(reply: Reply): Promise<{ status: number; text: string }>;
  /** Sets the account once it is known (the runtime's seed makes or keeps its secrets). */
  configure(account: GraphAccount): void;
  /** Sends a status of a message Pulso sent (delivered, read, failed...), as Meta does, in whatever order asked. */
  status(messageId: string, status: string): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

const wamid = () => `wamid.${randomBytes(18).toString('base64url')}`;

/** What Meta's webhook carries for one inbound message (WhatsApp Business Cloud API, `messages` field). */
export function inboundPayload(reply: Reply & { phoneNumberId: string; id: string }, at: Date) {
  const message = {
    from: reply.from,
    id: reply.id,
    timestamp: String(Math.floor(at.getTime() / 1000)),
    ...(reply.choice
      ? { type: 'interactive', interactive: { type: 'list_reply', list_reply: reply.choice } }
      : { type: 'text', text: { body: reply.text ?? '' } }),
  };
  return webhookPayload(reply.phoneNumberId, {
    contacts: [{ profile: { name: 'Local customer' }, wa_id: reply.from }],
    messages: [message],
  });
}

/** Meta's envelope of a `messages` webhook of the demo business number: its messages or its statuses. */
function webhookPayload(phoneNumberId: string, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'local-waba',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/**
 * A Graph-API-compatible endpoint for the WhatsApp Business Cloud API's messages: it takes what Pulso sends
 * (`POST /{version}/{phoneNumberId}/messages` with the access token), answers with a wamid as Meta does, and shows
 * the messages in an inbox page (`GET /`) and as JSON (`GET /messages`); `reply` plays a customer answering,
 * posting Meta's webhook, signed, and `status` sends a sent message's statuses. Not emulated: media, message
 * templates' approval and variables' checks, pricing, the 24-hour window (Pulso keeps to it itself), rate limits.
 */
export async function startGraphEngine(opts: GraphEngineOptions): Promise<GraphEngine> {
  const clock = opts.clock ?? systemClock;
  const sent: SentMessage[] = [];
  let account: GraphAccount = {
    accessToken: opts.accessToken ?? randomBytes(16).toString('hex'),
    phoneNumberId: opts.phoneNumberId ?? '1055500000',
    ...(opts.webhook ? { webhook: opts.webhook } : {}),
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) graphError(res, 500, 'Internal error', 1);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://graph').pathname;
    if (req.method === 'GET' && path === '/messages') return json(res, 200, { messages: sent });
    if (req.method === 'GET' && path === '/') return page(res, sent);
    const match = /^\/v\d+\.\d+\/([^/]+)\/messages$/.exec(path);
    if (req.method !== 'POST' || !match) return graphError(res, 404, 'Unknown path', 100);
    if (req.headers.authorization !== `Bearer ${account.accessToken}`)
      return graphError(res, 401, 'Invalid OAuth access token.', 190);
    const phoneNumberId = decodeURIComponent(match[1] ?? '');
    if (phoneNumberId !== account.phoneNumberId)
      return graphError(
        res,
        400,
        `Unsupported post request. Object with ID '${phoneNumberId}' does not exist`,
        100,
      );
    const raw = await read(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw ?? '') as Record<string, unknown>;
    } catch {
      return graphError(res, 400, 'Invalid JSON', 100);
    }
    const type = typeof body.type === 'string' ? body.type : 'text';
    const to = typeof body.to === 'string' ? body.to : '';
    if (body.messaging_product !== 'whatsapp' || !/^\+?\d{6,15}$/.test(to) || !(type in body))
      return graphError(res, 400, '(#100) Invalid parameter', 100);
    const message: SentMessage = {
      id: wamid(),
      phoneNumberId,
      to,
      type,
      body,
      at: new Date(clock.now()).toISOString(),
    };
    sent.push(message);
    if (sent.length > MAX_KEPT) sent.shift();
    return json(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }],
      messages: [{ id: message.id }],
    });
  }

  /** Posts a webhook to Pulso as Meta does: JSON, signed with the app secret over its bytes. */
  async function deliver(payload: unknown): Promise<{ status: number; text: string }> {
    const { webhook } = account;
    if (!webhook) throw new Error('The Graph engine has no webhook to deliver to.');
    const body = JSON.stringify(payload);
    const res = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': metaSignature(webhook.appSecret, body),
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  }

  const port = await listen(server, opts.port, opts.host, PORT_OWNERS.graph);
  return {
    url: `http://${urlHost(opts.host ?? '127.0.0.1')}:${port}/`,
    messages: () => [...sent],
    configure(next) {
      account = next;
    },
    async status(messageId, status) {
      const message = sent.find((m) => m.id === messageId);
      if (!message) throw new Error(`No message ${messageId} was sent.`);
      const callback = message.body.biz_opaque_callback_data;
      return deliver(
        webhookPayload(message.phoneNumberId, {
          statuses: [
            {
              id: messageId,
              status,
              timestamp: String(Math.floor(clock.now() / 1000)),
              recipient_id: message.to,
              ...(typeof callback === 'string' ? { biz_opaque_callback_data: callback } : {}),
            },
          ],
        }),
      );
    },
    reply: (reply) =>
      deliver(
        inboundPayload(
          { ...reply, phoneNumberId: reply.phoneNumberId ?? account.phoneNumberId, id: reply.id ?? wamid() },
          new Date(clock.now()),
        ),
      ),

    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function read(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** An error as the Graph API shapes it. */
function graphError(res: ServerResponse, status: number, message: string, code: number): void {
  json(res, status, {
    error: { message, type: 'OAuthException', code, fbtrace_id: randomBytes(8).toString('hex') },
  });
}

/** What a message says, for the inbox: its text, the template's name, or a list's rows. */
function gist(m: SentMessage): string {
  const b = m.body as Record<string, Record<string, unknown> | undefined>;
  if (m.type === 'text') return String(b.text?.body ?? '');
  if (m.type === 'template')
    return `template ${String(b.template?.name ?? '')} (${JSON.stringify(b.template?.language ?? {})})`;
  return JSON.stringify(b[m.type] ?? {});
}

function page(res: ServerResponse, sent: readonly SentMessage[]): void {
  const items = [...sent]
    .reverse()
    .map(
      (m) =>
        `<article><header><time datetime="${escapeHtml(m.at)}">${escapeHtml(m.at)}</time> <strong>${escapeHtml(m.to)}</strong> <span class="id">${escapeHtml(m.id)}</span> ${escapeHtml(m.type)}</header><pre>${escapeHtml(gist(m))}</pre></article>`,
    )
    .join('');
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>WhatsApp (local)</title><style>body{font:14px system-ui;margin:2rem;max-width:48rem}article{border-bottom:1px solid #ccc;padding:.5rem 0}pre{white-space:pre-wrap}.id{color:#555}</style></head><body><h1>WhatsApp messages sent (local Graph API)</h1>${items || '<p>No message yet.</p>'}</body></html>`,
  );
}
