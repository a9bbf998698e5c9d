/**
 * Sign-in for the web app: OpenID Connect's authorization code flow with PKCE, for a public client (no secret in
 * the browser). The same code signs in against Cognito's managed login on AWS and the local OpenID provider under
 * `npm start`; `/app/config.json` says which. Tokens live in sessionStorage: gone when the tab closes.
 */
export interface AppConfig {
  readonly issuer: string;
  readonly clientId: string;
  /** The API's resource indicator (RFC 8707), when the provider wants one. */
  readonly resource?: string;
  readonly scopes: string;
}

export interface Session {
  readonly accessToken: string;
  readonly expiresAt: number;
  /** From the ID token: who is signed in. */
  readonly name: string;
  /** How the API records this person in a case's history and as its assignee (the access token's claims). */
  readonly actor: string;
  readonly locale?: string;
}

const SESSION = 'pulso.session';
const PENDING = 'pulso.pending';

const redirectUri = () => `${location.origin}/app/`;

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const random = (size: number) => base64url(crypto.getRandomValues(new Uint8Array(size)));

async function endpoints(config: AppConfig) {
  const res = await fetch(`${config.issuer}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`The sign-in service answered ${res.status}`);
  return (await res.json()) as { authorization_endpoint: string; token_endpoint: string };
}

function claimsOf(jwt: string): Record<string, unknown> {
  const [, payload = ''] = jwt.split('.');
  const bytes = Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

export function currentSession(): Session | undefined {
  const raw = sessionStorage.getItem(SESSION);
  if (!raw) return undefined;
  const session = JSON.parse(raw) as Session;
  return session.expiresAt > Date.now() / 1000 + 30 ? session : undefined;
}

/** Sends the browser to the sign-in page; it comes back to /app/ with a code. */
export async function signIn(config: AppConfig, locale: string): Promise<never> {
  const { authorization_endpoint } = await endpoints(config);
  const verifier = random(32);
  const state = random(16);
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(
    PENDING,
    JSON.stringify({ verifier, state, back: `${location.pathname}${location.search}${location.hash}` }),
  );
  const params = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: config.scopes,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    ui_locales: locale,
    // Cognito's managed login reads its own `lang` (Portuguese only as pt-BR) and ignores ui_locales.
    lang: locale === 'pt' ? 'pt-BR' : locale,
    ...(config.resource ? { resource: config.resource } : {}),
  });
  location.assign(`${authorization_endpoint}?${params}`);
  return new Promise<never>(() => undefined);
}

/** On the way back from the sign-in page: trades the code for tokens. Undefined when this is not that way back. */
export async function finishSignIn(config: AppConfig): Promise<Session | undefined> {
  const query = new URLSearchParams(location.search);
  const code = query.get('code');
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
    verifier: string;
    state: string;
    back: string;
  } | null;
  if (!code || !pending) return undefined;
  sessionStorage.removeItem(PENDING);
  if (query.get('state') !== pending.state) throw new Error('The sign-in came back for another request');
  const { token_endpoint } = await endpoints(config);
  const res = await fetch(token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: config.clientId,
      code_verifier: pending.verifier,
      ...(config.resource ? { resource: config.resource } : {}),
    }),
  });
  if (!res.ok) throw new Error(`The sign-in service refused the code (${res.status})`);
  const tokens = (await res.json()) as { access_token: string; id_token: string; expires_in: number };
  const id = claimsOf(tokens.id_token);
  const access = claimsOf(tokens.access_token);
  const session: Session = {
    accessToken: tokens.access_token,
    expiresAt: Math.floor(Date.now() / 1000) + tokens.expires_in,
    name: String(id.name ?? id.email ?? id.sub ?? ''),
    // As lambdas/http/admin.ts's actorOf reads the same token.
    actor: String(access.email ?? access['cognito:username'] ?? access.username ?? access.sub ?? ''),
    ...(typeof id.locale === 'string' ? { locale: id.locale } : {}),
  };
  sessionStorage.setItem(SESSION, JSON.stringify(session));
  history.replaceState(null, '', pending.back.startsWith('/app/') ? pending.back : '/app/');
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(SESSION);
}
