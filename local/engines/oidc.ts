import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import Provider, {
  type Adapter,
  type AdapterPayload,
  interactionPolicy,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import { LOCALES } from '#kernel/survey.ts';
import { jwtScopes, scopesOf } from '#routes/index.ts';
import { html } from '#views/html.ts';
import { messages, negotiateLocale } from '#views/i18n.ts';
import { page } from '#views/layout.ts';
import type { DemoPerson } from '../people.ts';
import { listen, PORT_OWNERS, urlHost } from '../ports.ts';
import { readBody } from './sns.ts';

/**
 * The local stand-in for Cognito's managed login: a real OpenID provider (panva's oidc-provider, certified) with
 * the demo people, an authorization-code flow with PKCE for the web app's public client, and JWT access tokens
 * signed with a key made at start (RS256, published at `/jwks`). The local API checks those tokens as API
 * Gateway's JWT authorizer does (local/jwt-authorizer.ts). Access tokens carry what Cognito's do: `sub`,
 * `username`, `client_id`, `scope` and `cognito:groups` (the person's role). The app asks for every scope of the
 * route table and a person's token carries only their role's, as Cognito's pre token generation trigger leaves
 * them (lambdas/handlers/token-scopes.ts).
 */
export interface OidcOptions {
  readonly port: number;
  readonly host?: string;
  /** The name other devices reach this machine by (a phone on the network), for the issuer's URL. @default host */
  readonly publicHost?: string;
  readonly people: readonly DemoPerson[];
  /** Where the web app may receive the authorization code. */
  readonly redirectUris: readonly string[];
  /** Lifetime of access tokens. @default 12 hours */
  readonly accessTokenSeconds?: number;
}

export interface SignedIn {
  readonly accessToken: string;
  readonly idToken: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

export interface LocalOidc {
  /** The tokens' `iss`; no trailing slash, as oidc-provider and Cognito write it. */
  readonly issuer: string;
  /** The web app's public client: the tokens' audience. */
  readonly clientId: string;
  /** The public key the tokens are signed with, as the provider publishes it at `<issuer>/jwks`. */
  readonly jwks: JSONWebKeySet;
  /** Signs a demo person in through the protocol, as the web app does: authorize, the login form, token. */
  signIn(username: string, password: string): Promise<SignedIn>;
  stop(): Promise<void>;
}

export const WEB_CLIENT_ID = 'pulso-web';
/** The resource the web app asks tokens for (RFC 8707); its audience is the client, as with Cognito. */
export const API_RESOURCE = 'urn:pulso:api';
const API_SCOPES = jwtScopes().join(' ');
/** What the web app asks for. */
export const APP_SCOPES = `openid profile email ${API_SCOPES}`;
const LOGIN_PATH = /^\/interaction\/([\w-]+)(\/login)?$/;

export async function startOidc(opts: OidcOptions): Promise<LocalOidc> {
  const server = createServer();
  const port = await listen(server, opts.port, opts.host ?? '127.0.0.1', PORT_OWNERS.oidc);
  const issuer = `http://${urlHost(opts.publicHost ?? opts.host ?? '127.0.0.1')}:${port}`;
  const accessTokenSeconds = opts.accessTokenSeconds ?? 12 * 3600;
  const people = new Map(opts.people.map((p) => [p.username, p]));
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const signing = { kid: 'local', alg: 'RS256', use: 'sig' };
  const resourceServer = {
    scope: API_SCOPES,
    audience: WEB_CLIENT_ID,
    accessTokenFormat: 'jwt' as const,
    accessTokenTTL: accessTokenSeconds,
  };

  // No consent screen: the grant is the person's role (loadExistingGrant), and the scopes the app asks for beyond
  // it are left out of the token, as Cognito's trigger leaves them out, rather than asked about.
  const policy = interactionPolicy.base();
  policy.remove('consent');
  const provider = new Provider(issuer, {
    adapter: memoryStore(),
    jwks: { keys: [{ ...(await exportJWK(privateKey)), ...signing }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [...opts.redirectUris],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'locale'],
      email: ['email'],
    },
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const person = people.get(sub);
      return person
        ? {
            accountId: sub,
            claims: () => ({
              sub,
              name: person.name,
              preferred_username: person.username,
              locale: person.locale,
              email: person.email,
            }),
          }
        : undefined;
    },
    extraTokenClaims: (_ctx, token) => {
      const person = 'accountId' in token ? people.get(String(token.accountId)) : undefined;
      return person ? { username: person.username, 'cognito:groups': [person.role] } : undefined;
    },
    // The web app is Pulso's own: people are not asked to consent to it.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(WEB_CLIENT_ID);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const accountId = ctx.oidc.session?.accountId;
      const person = accountId ? people.get(accountId) : undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: WEB_CLIENT_ID, accountId });
      grant.addOIDCScope('openid profile email');
      if (person) grant.addResourceScope(API_RESOURCE, scopesOf(person.role).join(' '));
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new Error(`Unknown resource ${resource}`);
          return resourceServer;
        },
      },
    },
    // The web app calls the token endpoint from its own origin (the API's); nothing else may.
    clientBasedCORS: (_ctx, origin) => opts.redirectUris.some((uri) => new URL(uri).origin === origin),
    interactions: { policy, url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
      RefreshToken: 24 * 3600,
    },
  });
  const callback = provider.callback();

  server.on('request', (req, res) => {
    const login = LOGIN_PATH.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!login) {
      callback(req, res);
      return;
    }
    const action = login[2] && req.method === 'POST' ? submitLogin(req, res) : showLogin(req, res);
    action.catch((err: unknown) => {
      // An unknown or expired interaction: start again from the app.
      const status = (err as { statusCode?: number }).statusCode ?? 400;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${(err as Error).message}\n`);
    });
  });

  async function showLogin(req: IncomingMessage, res: ServerResponse, failed = false) {
    const details = await provider.interactionDetails(req, res);
    // ui_locales (space-separated, the app's choice) ahead of the browser's Accept-Language.
    const wanted = [...String(details.params.ui_locales ?? '').split(' '), req.headers['accept-language']];
    const locale = negotiateLocale(undefined, wanted.filter(Boolean).join(','), LOCALES, 'en');
    const t = messages(locale).signIn;
    const body = html`<h1>${t.title}</h1>${
      failed ? html`<p class="err" role="alert">${t.wrong}</p>` : ''
    }<form method="post" action="/interaction/${details.uid}/login"><div class="field"><label class="q" for="username">${t.username}</label><input id="username" name="username" autocomplete="username" required autofocus></div><div class="field"><label class="q" for="password">${t.password}</label><input id="password" name="password" type="password" autocomplete="current-password" required></div><button type="submit">${t.submit}</button></form>`;
    res.writeHead(failed ? 401 : 200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(page({ locale, title: t.title, body, extraCss: LOGIN_CSS }));
  }

  async function submitLogin(req: IncomingMessage, res: ServerResponse) {
    const form = new URLSearchParams(await readBody(req, 64 * 1024));
    const person = people.get(form.get('username') ?? '');
    if (!person || !samePassword(person.password, form.get('password') ?? '')) {
      await showLogin(req, res, true);
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: person.username } },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    issuer,
    clientId: WEB_CLIENT_ID,
    jwks: { keys: [{ ...(await exportJWK(publicKey)), ...signing }] },
    signIn: (username, password) =>
      signInThroughProtocol(issuer, opts.redirectUris[0] ?? '', username, password),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Inputs as the survey page draws them, full width. */
const LOGIN_CSS =
  'input{width:100%;min-height:2.75rem;font:inherit;padding:.5rem;border:2px solid #5f6368;border-radius:.5rem;clear:both}input:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}';

function samePassword(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return a.equals(b);
}

/**
 * The authorization-code flow with PKCE over HTTP, as a browser goes through it: the authorization request, the
 * login form, the redirect back with a code, and the token request.
 */
async function signInThroughProtocol(
  issuer: string,
  redirectUri: string,
  username: string,
  password: string,
): Promise<SignedIn> {
  const cookies = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(url, issuer), {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const set of res.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  };
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(12).toString('base64url');
  const authorize = new URLSearchParams({
    client_id: WEB_CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: APP_SCOPES,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    resource: API_RESOURCE,
  });
  let res = await send(`/auth?${authorize}`);
  const interaction = res.headers.get('location') ?? '';
  res = await send(`${interaction}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (res.status === 401) throw new Error(`Sign-in refused for ${username}`);
  // Back to the authorization endpoint, then to the app with the code.
  for (let hops = 0; hops < 5 && res.status >= 300 && res.status < 400; hops++) {
    const location = res.headers.get('location') ?? '';
    if (location.startsWith(redirectUri)) break;
    res = await send(location);
  }
  const back = new URL(res.headers.get('location') ?? '', issuer);
  const code = back.searchParams.get('code');
  if (!code || back.searchParams.get('state') !== state)
    throw new Error(`Sign-in of ${username} did not come back with a code (${res.status})`);
  const token = await send('/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: WEB_CLIENT_ID,
      code_verifier: verifier,
      resource: API_RESOURCE,
    }).toString(),
  });
  const tokens = (await token.json()) as { access_token?: string; id_token?: string; expires_in?: number };
  if (!tokens.access_token || !tokens.id_token) throw new Error(`No tokens for ${username}: ${token.status}`);
  return {
    accessToken: tokens.access_token,
    idToken: tokens.id_token,
    expiresAt: Math.floor(Date.now() / 1000) + (tokens.expires_in ?? 0),
  };
}

/** The provider's state (interactions, sessions, grants, codes) in memory: the local runtime keeps no logins. */
function memoryStore(): (model: string) => Adapter {
  const items = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = (key: string) => {
    const item = items.get(key);
    return item && item.expiresAt >= Date.now() ? item.payload : undefined;
  };
  return (model) => {
    const key = (id: string) => `${model}:${id}`;
    const findBy = (field: 'uid' | 'userCode', value: string) => {
      for (const [k, item] of items)
        if (k.startsWith(`${model}:`) && item.payload[field] === value) return live(k);
      return undefined;
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        items.set(key(id), { payload, expiresAt: Date.now() + (expiresIn ?? 3600) * 1000 });
      },
      find: async (id) => live(key(id)),
      findByUid: async (uid) => findBy('uid', uid),
      findByUserCode: async (userCode) => findBy('userCode', userCode),
      consume: async (id) => {
        const item = items.get(key(id));
        if (item) item.payload = { ...item.payload, consumed: Math.floor(Date.now() / 1000) };
      },
      destroy: async (id) => {
        items.delete(key(id));
      },
      revokeByGrantId: async (grantId) => {
        for (const [k, item] of items) if (item.payload.grantId === grantId) items.delete(k);
      },
    };
  };
}
