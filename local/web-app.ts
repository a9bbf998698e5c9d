import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { securityHeaders } from '../web/policy.ts';

/**
 * The CX team's web app on the API's origin, under `/app/`, as CloudFront serves it on AWS: the build's files,
 * `index.html` for every other path under `/app/` (the app routes itself), and `/app/config.json` telling the
 * app where people sign in.
 */
export interface WebApp {
  /** The build (web/dist). */
  readonly dir: string;
  readonly config: Readonly<Record<string, unknown>>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves `/app/...` and answers true, or answers false for any other path. */
export function serveWebApp(app: WebApp, method: string, path: string, res: ServerResponse): boolean {
  if (path !== '/app' && !path.startsWith('/app/')) return false;
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    res.end();
    return true;
  }
  if (path === '/app') {
    res.writeHead(301, { location: '/app/' });
    res.end();
    return true;
  }
  // The local provider serves discovery and its token endpoint on the issuer's origin.
  const issuer = String(app.config.issuer ?? '');
  const headers = securityHeaders(URL.canParse(issuer) ? [new URL(issuer).origin] : []);
  if (path === '/app/config.json') {
    res.writeHead(200, { ...headers, 'content-type': TYPES['.json'], 'cache-control': 'no-store' });
    res.end(method === 'HEAD' ? undefined : JSON.stringify(app.config));
    return true;
  }
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(path.slice('/app/'.length)));
  } catch {
    // A malformed %-escape: the client's mistake, never a 5xx.
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Bad Request\n');
    return true;
  }
  const file = join(app.dir, relative);
  const inside = file.startsWith(app.dir + sep) && !relative.startsWith('..');
  const target = inside && extname(relative) && existsSync(file) ? file : join(app.dir, 'index.html');
  if (!existsSync(target)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The web app is not built: npm run build:web\n');
    return true;
  }
  const type = TYPES[extname(target)] ?? 'application/octet-stream';
  const body = readFileSync(target);
  res.writeHead(200, {
    ...headers,
    'content-type': type,
    'content-length': body.length,
    'cache-control': target.endsWith('index.html') ? 'no-cache' : 'max-age=60',
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}
