import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '#local/people.ts';
import type { Runtime } from '#local/runtime.ts';
import { scopesOf } from '#routes/index.ts';
import { startFixtureRuntime } from './support.ts';

let rt: Runtime;

beforeAll(async () => {
  rt = await startFixtureRuntime();
});

afterAll(async () => {
  await rt?.stop();
});

/** A browser's cookie jar for one origin, enough for the provider's interaction and session cookies. */
function browser(origin: string) {
  const jar = new Map<string, string>();
  return async (url: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(url, origin), {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const set of res.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  };
}

const appUrl = () => `${rt.apiUrl}app/`;

async function authorize(go: ReturnType<typeof browser>, lang: string) {
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({
    client_id: rt.oidc.clientId,
    response_type: 'code',
    redirect_uri: appUrl(),
    scope: 'openid profile email pulso/api',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: 'xyz',
    ui_locales: lang,
    resource: 'urn:pulso:api',
  });
  const res = await go(`/auth?${params}`);
  expect(res.status).toBe(303);
  return { verifier, loginUrl: res.headers.get('location') ?? '' };
}

/** A form post, as the login page and the token endpoint take them. */
const post = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

/** Posts the login form and follows the provider's redirects until it sends the browser back to the app. */
async function logIn(go: ReturnType<typeof browser>, loginUrl: string, username: string, password: string) {
  let res = await go(`${loginUrl}/login`, post({ username, password }));
  while (!(res.headers.get('location') ?? '').startsWith(appUrl())) {
    expect(res.status).toBeGreaterThanOrEqual(300);
    res = await go(res.headers.get('location') ?? '');
  }
  return new URL(res.headers.get('location') ?? '');
}

/** The token request of the app's public client. */
const exchange = (go: ReturnType<typeof browser>, code: string, verifier: string) =>
  go(
    '/token',
    post({
      grant_type: 'authorization_code',
      code,
      redirect_uri: appUrl(),
      client_id: rt.oidc.clientId,
      code_verifier: verifier,
      resource: 'urn:pulso:api',
    }),
  );

describe('signing in to the local runtime', () => {
  it('shows the login form in the language the app asks for', async () => {
    const go = browser(rt.oidc.issuer);
    const { loginUrl } = await authorize(go, 'pt-BR');
    const form = await go(loginUrl);
    const page = await form.text();

    expect(form.status).toBe(200);
    expect(page).toContain('<html lang="pt"');
    expect(page).toContain('<label class="q" for="password">Senha</label>');
    expect(page).toContain('autocomplete="current-password"');
  });

  it('refuses a wrong password with the form again and issues no code', async () => {
    const go = browser(rt.oidc.issuer);
    const { loginUrl } = await authorize(go, 'es');
    const refused = await go(`${loginUrl}/login`, post({ username: 'ana', password: 'guess' }));

    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('role="alert">El usuario y la contraseña no coinciden');
    expect(refused.headers.get('location')).toBeNull();
  });

  it('goes from the form to a code and an access token the API accepts, as the web app will', async () => {
    const go = browser(rt.oidc.issuer);
    const { verifier, loginUrl } = await authorize(go, 'en');
    const back = await logIn(go, loginUrl, 'carla', 'carla-local');
    expect(back.searchParams.get('state')).toBe('xyz');
    const token = await exchange(go, back.searchParams.get('code') ?? '', verifier);
    const { access_token } = (await token.json()) as { access_token: string };
    const api = await fetch(`${rt.apiUrl}admin/echo`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    const echoed = (await api.json()) as {
      event: { requestContext: { authorizer: { jwt: { claims: object } } } };
    };

    expect(api.status).toBe(200);
    expect(echoed.event.requestContext.authorizer.jwt.claims).toMatchObject({
      sub: 'carla',
      'cognito:groups': '[manager]',
    });
  });

  it('refuses a code exchanged without the PKCE verifier', async () => {
    const go = browser(rt.oidc.issuer);
    const { loginUrl } = await authorize(go, 'en');
    const code = (await logIn(go, loginUrl, 'dev', 'dev-local')).searchParams.get('code') ?? '';
    const token = await exchange(go, code, randomBytes(32).toString('base64url'));

    expect(token.status).toBe(400);
    expect(await token.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('serves the web app under /app/ with its policy, its config, and a 400 for a malformed path', async () => {
    const config = await fetch(`${rt.appUrl}config.json`);
    const malformed = await fetch(`${rt.appUrl}%E0%A4%A`);

    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ issuer: rt.oidc.issuer, clientId: rt.oidc.clientId });
    expect(config.headers.get('content-security-policy')).toContain(`connect-src 'self' ${rt.oidc.issuer}`);
    expect(malformed.status).toBe(400);
  });

  it('gives every demo person an access token with their role and its scopes, and none for a wrong password', async () => {
    expect(rt.people.map((p) => [p.username, p.role])).toEqual(DEMO_PEOPLE.map((p) => [p.username, p.role]));
    for (const person of rt.people) {
      const [, payload = ''] = person.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      expect(claims['cognito:groups'], person.username).toEqual([person.role]);
      const pulso = String(claims.scope)
        .split(' ')
        .filter((s) => s.startsWith('pulso/'));
      expect(pulso.sort(), person.username).toEqual(scopesOf(person.role).sort());
      const res = await fetch(`${rt.apiUrl}admin/echo`, {
        headers: { authorization: `Bearer ${person.accessToken}` },
      });
      expect(res.status).toBe(200);
    }
    await expect(rt.signIn('ana', 'nope')).rejects.toThrow(/refused/);
  });
});

describe('signing in from another device on the network', () => {
  let lan: Runtime;
  beforeAll(async () => {
    // Bound to every address and reached by a name other than the loopback address, as a phone reaches it.
    lan = await startFixtureRuntime({ host: '0.0.0.0', publicHost: 'localhost' });
  });
  afterAll(async () => {
    await lan?.stop();
  });

  it('gives the web app and the issuer the public name, and the API takes the tokens it issues', async () => {
    expect(new URL(lan.appUrl).hostname).toBe('localhost');
    expect(new URL(lan.oidc.issuer).hostname).toBe('localhost');
    const config = (await (await fetch(`${lan.appUrl}config.json`)).json()) as { issuer: string };
    expect(config.issuer).toBe(lan.oidc.issuer);
    const signedIn = await lan.signIn('dev', 'dev-local');
    const [, payload = ''] = signedIn.accessToken.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString()).iss).toBe(lan.oidc.issuer);
    const api = await fetch(`${lan.apiUrl}admin/echo`, {
      headers: { authorization: `Bearer ${signedIn.accessToken}` },
    });
    expect(api.status).toBe(200);
    // A token of the loopback runtime's issuer is not this one's.
    const other = await fetch(`${lan.apiUrl}admin/echo`, {
      headers: { authorization: `Bearer ${rt.adminToken}` },
    });
    expect(other.status).toBe(401);
  });
});
