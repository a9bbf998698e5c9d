import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { escapeHtml, readBody } from '../sns.ts';
import { err, SqsError } from './errors.ts';
import { servePage } from './pages.ts';
import type { QueueStore } from './store.ts';

// The wire protocol. @aws-sdk/client-sqs (3.4xx and later) speaks AWS JSON 1.0: POST /, `X-Amz-Target:
// AmazonSQS.<Action>`, JSON in and out, errors as `{"__type", "message"}` plus the `x-amzn-query-error` header the
// SDK reads in query-compatible mode. The older awsQuery protocol (form-encoded `Action=...`) is refused with an
// explanation.
const TARGET_PREFIX = 'AmazonSQS.';
const JSON_TYPE = 'application/x-amz-json-1.0';
const ERROR_NAMESPACE = 'com.amazonaws.sqs#';
const MAX_BATCH_ENTRIES = 10;

/** One JSON action: its input, the caller's access key id and a signal that aborts when the caller hangs up. */
export type Action = (input: Input, ctx: { senderId: string; signal: AbortSignal }) => unknown;

/** A JSON request body. */
export type Input = Record<string, unknown>;
export const str = (input: Input, key: string): string | undefined => {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw err.invalidValue(key, JSON.stringify(v), 'Must be a string.');
  return v;
};
export const int = (input: Input, key: string): number | undefined => {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw err.invalidValue(key, v, 'Must be an integer.');
  return n;
};
export const entries = (input: Input, what: string): Input[] => {
  const list = input.Entries;
  if (!Array.isArray(list) || list.length === 0) {
    throw new SqsError(
      'EmptyBatchRequest',
      `There should be at least one ${what} in the request.`,
      'AWS.SimpleQueueService.EmptyBatchRequest',
    );
  }
  if (list.length > MAX_BATCH_ENTRIES) {
    throw new SqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${list.length}.`,
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    );
  }
  const seen = new Set<string>();
  for (const entry of list as Input[]) {
    const id = typeof entry?.Id === 'string' ? entry.Id : '';
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
      throw new SqsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        'AWS.SimpleQueueService.InvalidBatchEntryId',
      );
    }
    if (seen.has(id)) {
      throw new SqsError(
        'BatchEntryIdsNotDistinct',
        `Id ${id} repeated.`,
        'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      );
    }
    seen.add(id);
  }
  return list as Input[];
};
export const batch = <T>(list: Input[], run: (entry: Input) => T) => {
  const Successful: (T & { Id: string })[] = [];
  const Failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = [];
  for (const entry of list) {
    const Id = entry.Id as string;
    try {
      Successful.push({ Id, ...run(entry) });
    } catch (e) {
      if (!(e instanceof SqsError)) throw e;
      Failed.push({ Id, SenderFault: e.senderFault, Code: e.queryCode, Message: e.message });
    }
  }
  return { Successful, Failed };
};

/** The engine's HTTP server: the pages on GET, the actions on POST, anything unexpected as InternalError. */
export function sqsServer(store: QueueStore, actions: Readonly<Record<string, Action>>): Server {
  return createServer((req, res) => {
    handleRequest(store, actions, req, res).catch((e: unknown) => {
      if (!res.headersSent)
        sendError(res, new SqsError('InternalError', String(e), 'InternalError', 500, false));
    });
  });
}

async function handleRequest(
  store: QueueStore,
  actions: Readonly<Record<string, Action>>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET') {
    req.resume();
    servePage(store, url.pathname, (req.headers.accept ?? '').includes('application/json'), res);
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return;
  }
  const raw = await readBody(req);
  const target = String(req.headers['x-amz-target'] ?? '');
  if (!target) {
    // An awsQuery client (form-encoded Action=...): answer in its XML so it shows the reason.
    const action = new URLSearchParams(raw).get('Action') ?? '(none)';
    res.writeHead(400, { 'content-type': 'text/xml' });
    res.end(
      `<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>` +
        `The local SQS engine speaks AWS JSON 1.0 only (X-Amz-Target: AmazonSQS.${escapeHtml(action)}); ` +
        `use @aws-sdk/client-sqs 3.4xx or later.</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    );
    return;
  }
  const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const run = actions[action];
  if (!run) {
    const known = /^[A-Z][A-Za-z]+$/.test(action);
    sendError(
      res,
      known
        ? new SqsError(
            'UnsupportedOperation',
            `${action} is not emulated by the local SQS engine.`,
            'AWS.SimpleQueueService.UnsupportedOperation',
          )
        : new SqsError('UnknownOperationException', `Unknown operation ${target}.`),
    );
    return;
  }
  let input: Input;
  try {
    input = raw.trim() === '' ? {} : (JSON.parse(raw) as Input);
  } catch {
    sendError(res, new SqsError('SerializationException', 'The request body is not valid JSON.'));
    return;
  }
  const aborted = new AbortController();
  res.on('close', () => aborted.abort());
  try {
    const output = await run(input ?? {}, { senderId: senderOf(req), signal: aborted.signal });
    if (res.destroyed) return;
    const body = JSON.stringify(output ?? {});
    res.writeHead(200, {
      'content-type': JSON_TYPE,
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(body);
  } catch (e) {
    if (!(e instanceof SqsError)) throw e;
    sendError(res, e);
  }
}

function senderOf(req: IncomingMessage): string {
  const credential = /Credential=([^/,\s]+)/.exec(String(req.headers.authorization ?? ''));
  return credential?.[1] ?? 'ANONYMOUS';
}

function sendError(res: ServerResponse, e: SqsError): void {
  const body = JSON.stringify({ __type: `${ERROR_NAMESPACE}${e.type}`, message: e.message });
  res.writeHead(e.status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    'x-amzn-query-error': `${e.queryCode};${e.senderFault ? 'Sender' : 'Receiver'}`,
  });
  res.end(body);
}
