import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { LocalDlq } from './dlq.ts';
import { FunctionError, type LambdaHost } from './invoke.ts';
import type { JwtAuthorizer } from './jwt-authorizer.ts';
import { listen, PORT_OWNERS, urlHost } from './ports.ts';
import type { RedriveResult } from './streams.ts';
import type { LocalCors, LocalRoute } from './template/index.ts';
import { serveWebApp, type WebApp } from './web-app.ts';

/** API Gateway's limits that matter locally. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const INTEGRATION_TIMEOUT_MS = 30_000;

// Bodies API Gateway passes as text; every other one arrives base64-encoded.
const TEXT_TYPES = [
  /^text\//,
  /^application\/(.+\+)?json$/,
  /^application\/(.+\+)?xml$/,
  /^application\/javascript$/,
];

export interface ApiConfig {
  readonly routes: readonly LocalRoute[];
  readonly cors?: LocalCors;
  readonly lambdas: LambdaHost;
  /** Checks bearer tokens on JWT routes as API Gateway's JWT authorizer does. */
  readonly authorize: JwtAuthorizer;
  readonly accountId: string;
  readonly dlq?: LocalDlq;
  readonly redrive?: (queue: string) => Promise<RedriveResult>;
  readonly quiet?: boolean;
  /** The web app, under `/app/` (CloudFront's part on AWS). */
  readonly app?: WebApp;
}

export interface ApiServer {
  /** Base URL, ending in `/`. */
  readonly url: string;
  readonly port: number;
  /** Serves the routes; until then every request gets 503. */
  configure(config: ApiConfig): void;
  stop(): Promise<void>;
}

/** What API Gateway's JWT authorizer puts in requestContext.authorizer. */
interface JwtAuthorizerContext {
  readonly jwt: { readonly claims: Record<string, string>; readonly scopes: string[] | null };
}

type HttpApiEvent = Omit<APIGatewayProxyEventV2, 'requestContext'> & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: JwtAuthorizerContext };
};

interface CompiledRoute {
  readonly route: LocalRoute;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  readonly rank: readonly number[];
}

/** Emulates an API Gateway HTTP API (Lambda proxy integrations, payload format 2.0). */
export async function startApi(opts: { port: number; host?: string }): Promise<ApiServer> {
  const host = opts.host ?? '127.0.0.1';
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  let config: ApiConfig | undefined;
  let routes: CompiledRoute[] = [];
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!config?.quiet) console.error('[api] unexpected error', err);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
      else res.destroy();
    });
  });
  // Keep-alive sockets from clients must not hold stop() open.
  server.keepAliveTimeout = 5000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt >= 0 ? rawUrl.slice(0, queryAt) : rawUrl;
    const rawQueryString = queryAt >= 0 ? rawUrl.slice(queryAt + 1) : '';
    const method = (req.method ?? 'GET').toUpperCase();

    if (rawPath.startsWith('/_local/')) return localRoutes(req, res, method, rawPath);
    if (!config) {
      sendJson(res, 503, { message: 'Service Unavailable' });
      return;
    }
    const cfg = config;
    if (cfg.app && serveWebApp(cfg.app, method, rawPath, res)) {
      req.resume();
      return;
    }
    const origin = req.headers.origin;
    if (method === 'OPTIONS' && cfg.cors && origin && req.headers['access-control-request-method']) {
      res.writeHead(204, preflightHeaders(cfg.cors, origin));
      res.end();
      return;
    }

    const body = await readBody(req);
    if (body === 'too-large') {
      res.setHeader('connection', 'close');
      sendJson(res, 413, { message: 'Request Entity Too Large' });
      return;
    }

    const match = matchRoute(routes, method, rawPath);
    if (!match) {
      sendJson(res, 404, { message: 'Not Found' }, corsHeaders(cfg.cors, origin));
      return;
    }
    const { route, pathParameters } = match;

    let authorizer: JwtAuthorizerContext | undefined;
    if (route.authorization === 'JWT') {
      const verdict = await cfg.authorize(req.headers.authorization, route.authorizationScopes);
      if (!verdict.ok) {
        const unauthorized = verdict.status === 401;
        sendJson(
          res,
          verdict.status,
          { message: unauthorized ? 'Unauthorized' : 'Forbidden' },
          { ...(unauthorized ? { 'www-authenticate': 'Bearer' } : {}), ...corsHeaders(cfg.cors, origin) },
        );
        return;
      }
      authorizer = { jwt: { claims: verdict.claims, scopes: verdict.scopes } };
    }

    const requestId = randomBytes(10).toString('base64');
    const event = buildEvent({
      req,
      route,
      rawPath,
      rawQueryString,
      pathParameters,
      body,
      requestId,
      started,
      authorizer,
      accountId: cfg.accountId,
    });
    let result: unknown;
    try {
      result = await withTimeout(cfg.lambdas.invoke(route.functionId, event), INTEGRATION_TIMEOUT_MS);
    } catch (err) {
      if (err === TIMEOUT) {
        sendJson(res, 503, { message: 'Service Unavailable' }, { 'apigw-requestid': requestId });
        return;
      }
      if (!cfg.quiet) logFailure(route, err);
      sendJson(
        res,
        500,
        { message: 'Internal Server Error' },
        { 'apigw-requestid': requestId, ...corsHeaders(cfg.cors, origin) },
      );
      return;
    }
    const response = toHttpResponse(result);
    if (!response) {
      if (!cfg.quiet) console.error(`[api] ${route.routeKey}: the function returned a malformed response`);
      sendJson(res, 500, { message: 'Internal Server Error' }, { 'apigw-requestid': requestId });
      return;
    }
    for (const [name, value] of response.headers) res.appendHeader(name, value);
    for (const [name, value] of Object.entries(corsHeaders(cfg.cors, origin))) res.setHeader(name, value);
    res.setHeader('apigw-requestid', requestId);
    res.setHeader('content-length', response.body.length);
    res.writeHead(response.statusCode);
    res.end(method === 'HEAD' ? undefined : response.body);
  }

  async function localRoutes(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
  ): Promise<void> {
    req.resume();
    if (method === 'GET' && path === '/_local/health') {
      sendJson(res, 200, { status: config ? 'ok' : 'starting' });
      return;
    }
    // DLQ messages hold customer answers: off the loopback interface they need the admin token.
    if (
      !loopback &&
      path.startsWith('/_local/dlq') &&
      !(config && isAdmin(await config.authorize(req.headers.authorization)))
    ) {
      sendJson(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
      return;
    }
    if (method === 'GET' && path === '/_local/dlq' && config?.dlq) {
      const dlq = config.dlq;
      sendJson(res, 200, { queues: Object.fromEntries(dlq.names().map((q) => [q, dlq.entries(q)])) });
      return;
    }
    const redrive = /^\/_local\/dlq\/([^/]+)\/redrive$/.exec(path);
    if (method === 'POST' && redrive?.[1] && config?.redrive && config.dlq) {
      const queue = decodeURIComponent(redrive[1]);
      if (!config.dlq.has(queue)) {
        sendJson(res, 404, { message: `No local queue ${queue}` });
        return;
      }
      sendJson(res, 200, await config.redrive(queue));
      return;
    }
    sendJson(res, 404, { message: 'Not Found' });
  }

  const port = await listen(server, opts.port, host, PORT_OWNERS.api);
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}/`,
    port,
    configure(next) {
      config = next;
      routes = compileRoutes(next.routes);
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

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_PAYLOAD_BYTES) {
      req.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function compileRoutes(routes: readonly LocalRoute[]): CompiledRoute[] {
  const compiled = routes.map((route): CompiledRoute => {
    if (route.path === '$default') return { route, pattern: /^.*$/s, params: [], rank: [3, 0, 0] };
    const params: string[] = [];
    let literals = 0;
    let greedy = false;
    const source = route.path
      .split('/')
      .map((segment) => {
        const param = /^\{([^}+]+)(\+)?\}$/.exec(segment);
        if (!param) {
          literals++;
          return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        }
        params.push(param[1] as string);
        if (param[2]) {
          greedy = true;
          return '(.+)';
        }
        return '([^/]+)';
      })
      .join('/');
    // Most specific first: no greedy variable, more literal segments, a named method before ANY.
    return {
      route,
      pattern: new RegExp(`^${source}$`),
      params,
      rank: [greedy ? 1 : 0, -literals, route.method === 'ANY' ? 1 : 0],
    };
  });
  return compiled.sort((a, b) => compareRanks(a.rank, b.rank));
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  rawPath: string,
): { route: LocalRoute; pathParameters: Record<string, string> } | undefined {
  for (const candidate of routes) {
    const { route } = candidate;
    if (route.method !== 'ANY' && route.method !== method) continue;
    const m = candidate.pattern.exec(rawPath);
    if (!m) continue;
    const pathParameters: Record<string, string> = {};
    candidate.params.forEach((name, i) => {
      pathParameters[name] = safeDecode(m[i + 1] ?? '');
    });
    return { route, pathParameters };
  }
  return undefined;
}

function buildEvent(input: {
  req: IncomingMessage;
  route: LocalRoute;
  rawPath: string;
  rawQueryString: string;
  pathParameters: Record<string, string>;
  body: Buffer;
  requestId: string;
  started: number;
  authorizer: JwtAuthorizerContext | undefined;
  accountId: string;
}): HttpApiEvent {
  const { req, route, rawPath, rawQueryString, pathParameters, body, requestId, started } = input;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    const value = req.rawHeaders[i + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter((c) => c !== ''),
      );
      continue;
    }
    // Format 2.0 joins repeated headers with commas.
    headers[name] = headers[name] !== undefined ? `${headers[name]},${value}` : value;
  }
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(started / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

  // A Map, not `obj[k]`: a parameter named `__proto__` or `toString` arrives as API Gateway sends it (own, as is).
  const params = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(rawQueryString)) {
    const seen = params.get(k);
    params.set(k, seen !== undefined ? `${seen},${v}` : v);
  }
  const query: Record<string, string> = Object.fromEntries(params);

  const hostName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const isText = TEXT_TYPES.some((t) => t.test(contentType));
  const event: HttpApiEvent = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: input.accountId,
      apiId: 'local',
      ...(input.authorizer ? { authorizer: input.authorizer } : {}),
      domainName: hostName,
      domainPrefix: hostName.split('.')[0] ?? hostName,
      http: {
        method: (req.method ?? 'GET').toUpperCase(),
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: apiGatewayTime(new Date(started)),
      timeEpoch: started,
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
  return event;
}

interface HttpResponse {
  readonly statusCode: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

/** Maps a format 2.0 result the way API Gateway does; undefined when the result is malformed. */
export function toHttpResponse(result: unknown): HttpResponse | undefined {
  const isObject = result !== null && typeof result === 'object' && !Array.isArray(result);
  if (!isObject || !('statusCode' in result)) {
    // Without a statusCode, API Gateway answers 200 with the result as JSON.
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return { statusCode: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body) };
  }
  const r = result as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    multiValueHeaders?: Record<string, unknown[]>;
    cookies?: unknown[];
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const status = Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(r.headers ?? {})) {
    if (value !== undefined && value !== null) headers.push([name.toLowerCase(), String(value)]);
  }
  for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) {
    for (const value of Array.isArray(values) ? values : [])
      headers.push([name.toLowerCase(), String(value)]);
  }
  for (const cookie of Array.isArray(r.cookies) ? r.cookies : [])
    headers.push(['set-cookie', String(cookie)]);
  const text =
    r.body === undefined || r.body === null
      ? ''
      : typeof r.body === 'string'
        ? r.body
        : JSON.stringify(r.body);
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text);
  if (body.length > 0 && !headers.some(([name]) => name === 'content-type'))
    headers.push(['content-type', 'application/json']);
  return { statusCode: status, headers, body };
}

const isAdmin = (verdict: Awaited<ReturnType<JwtAuthorizer>>) =>
  verdict.ok &&
  (verdict.claims['cognito:groups'] ?? '')
    .replace(/^\[|\]$/g, '')
    .split(' ')
    .includes('admin');

function originAllowed(cors: LocalCors, origin: string): string | undefined {
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  return cors.allowOrigins.includes(origin) ? origin : undefined;
}

function corsHeaders(cors: LocalCors | undefined, origin: string | undefined): Record<string, string> {
  if (!cors || !origin) return {};
  const allowed = originAllowed(cors, origin);
  if (!allowed) return {};
  return {
    'access-control-allow-origin': allowed,
    ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
    ...(cors.exposeHeaders.length > 0
      ? { 'access-control-expose-headers': cors.exposeHeaders.join(',') }
      : {}),
  };
}

function preflightHeaders(cors: LocalCors, origin: string): Record<string, string> {
  const base = corsHeaders(cors, origin);
  if (!base['access-control-allow-origin']) return {};
  return {
    ...base,
    'access-control-allow-methods': cors.allowMethods.join(',') || '*',
    ...(cors.allowHeaders.length > 0 ? { 'access-control-allow-headers': cors.allowHeaders.join(',') } : {}),
    ...(cors.maxAge !== undefined ? { 'access-control-max-age': String(cors.maxAge) } : {}),
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function logFailure(route: LocalRoute, err: unknown): void {
  if (err instanceof FunctionError) {
    console.error(`[api] ${route.routeKey}: ${err.errorType}: ${err.errorMessage}`);
    if (err.trace.length > 0) console.error(err.trace.join('\n'));
  } else {
    console.error(`[api] ${route.routeKey}:`, err);
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, as in requestContext.time. */
function apiGatewayTime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

const TIMEOUT = Symbol('timeout');

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(TIMEOUT), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
