import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FunctionError } from '../invoke.ts';
import { listen, PORT_OWNERS, urlHost } from '../ports.ts';
import type { LocalFunction } from '../template/index.ts';

/** Lambda's limit on a synchronous invocation's request payload. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export interface LambdaApiOptions {
  readonly port: number;
  readonly host?: string;
  /** The stack's functions, by logical id, construct id, name or ARN. */
  readonly find: (id: string) => LocalFunction | undefined;
  /** A synchronous invocation (RequestResponse). */
  readonly invoke: (fn: LocalFunction, event: unknown) => Promise<unknown>;
  /** An asynchronous one (Event): queued, retried, sent to its on-failure destination like Lambda's. */
  readonly invokeAsync: (fn: LocalFunction, event: unknown) => void;
}

export interface LambdaApi {
  /** Endpoint for AWS_ENDPOINT_URL_LAMBDA (or `endpoint` of @aws-sdk/client-lambda), ending in `/`. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The Lambda Invoke API for the stack's functions (`POST /2015-03-31/functions/{name}/invocations`), so an event
 * can be sent exactly as Amazon Connect or another AWS service sends it, through @aws-sdk/client-lambda.
 * RequestResponse answers the function's result (or, when it failed, `X-Amz-Function-Error: Unhandled` and its
 * error); Event answers 202 and runs it like an asynchronous invocation; DryRun answers 204. Not emulated:
 * SigV4 (any credentials are taken), qualifiers and aliases, log tails, response streaming.
 */
export async function startLambdaApi(opts: LambdaApiOptions): Promise<LambdaApi> {
  const server = createServer((req, res) => {
    handle(opts, req, res).catch((err: unknown) => {
      if (!res.headersSent) error(res, 500, 'ServiceException', String(err));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  const port = await listen(server, opts.port, opts.host, PORT_OWNERS.lambda);
  return {
    url: `http://${urlHost(opts.host ?? '127.0.0.1')}:${port}/`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(opts: LambdaApiOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://lambda').pathname;
  const match = INVOKE_PATH.exec(path);
  if (req.method !== 'POST' || !match)
    return error(res, 404, 'UnknownOperationException', 'Only Invoke is served here.');
  // A name, an ARN (`arn:aws:lambda:<region>:<account>:function:<name>`) or a partial ARN.
  const given = decodeURIComponent(match[1] ?? '');
  const name = given.includes(':function:') ? (given.split(':function:')[1]?.split(':')[0] ?? given) : given;
  const fn = opts.find(name);
  if (!fn) return error(res, 404, 'ResourceNotFoundException', `Function not found: ${given}`);
  const body = await read(req);
  if (body === undefined)
    return error(res, 413, 'RequestTooLargeException', 'Request must be smaller than 6291456 bytes.');
  let event: unknown;
  try {
    event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    return error(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json.');
  }
  const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (type === 'DryRun') return send(res, 204, '', {});
  if (type === 'Event') {
    opts.invokeAsync(fn, event);
    return send(res, 202, '', {});
  }
  if (type !== 'RequestResponse')
    return error(res, 400, 'InvalidParameterValueException', `Unknown InvocationType ${type}.`);
  try {
    const result = await opts.invoke(fn, event);
    return send(res, 200, result === undefined ? 'null' : JSON.stringify(result), {
      'x-amz-executed-version': '$LATEST',
    });
  } catch (err) {
    if (!(err instanceof FunctionError)) throw err;
    // Lambda answers 200 for a function that failed, and says so in a header.
    return send(
      res,
      200,
      JSON.stringify({ errorType: err.errorType, errorMessage: err.errorMessage, trace: err.trace }),
      { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' },
    );
  }
}

async function read(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': crypto.randomUUID(),
    ...headers,
  });
  res.end(body);
}

/** An error as the Lambda API shapes it, which the SDK turns into its named exception. */
function error(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, JSON.stringify({ Type: 'User', message }), { 'x-amzn-errortype': type });
}
