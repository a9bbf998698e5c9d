import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type JwtAuthorizer, jwtAuthorizer } from '#local/jwt-authorizer.ts';

const ISSUER = 'http://127.0.0.1:9913';
let authorize: JwtAuthorizer;
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let sign: (claims: JWTPayload, key?: PrivateKey) => Promise<string>;
let strangerKey: PrivateKey;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'local', alg: 'RS256', use: 'sig' };
  authorize = jwtAuthorizer({ issuer: ISSUER, audiences: ['pulso-web'], jwks: { keys: [jwk] } });
  sign = (claims, key = privateKey) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'local' })
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? '1h')
      .sign(key);
});

const bearer = (token: string) => `Bearer ${token}`;
const valid = {
  iss: ISSUER,
  sub: 'ana',
  client_id: 'pulso-web',
  scope: 'pulso/api',
  'cognito:groups': ['admin'],
};

describe('the local JWT authorizer', () => {
  it('accepts a token of the issuer for the client and passes every claim as a string', async () => {
    const verdict = await authorize(bearer(await sign(valid)));

    expect(verdict).toMatchObject({ ok: true, scopes: null });
    if (!verdict.ok) return;
    expect(verdict.claims).toMatchObject({ sub: 'ana', client_id: 'pulso-web', 'cognito:groups': '[admin]' });
    expect(typeof verdict.claims.exp).toBe('string');
  });

  it('accepts the audience from aud as well as from client_id', async () => {
    const { client_id: _, ...withoutClient } = valid;
    expect((await authorize(bearer(await sign({ ...withoutClient, aud: 'pulso-web' })))).ok).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['not a bearer token', 'Basic YW5hOmFuYQ=='],
    ['a token that is not a JWT', 'Bearer local-abc'],
  ])('answers 401 for %s', async (_, header) => {
    expect(await authorize(header)).toEqual({ ok: false, status: 401 });
  });

  it('answers 401 when the token is signed by a key the issuer does not publish', async () => {
    expect(await authorize(bearer(await sign(valid, strangerKey)))).toEqual({ ok: false, status: 401 });
  });

  it('answers 401 when the token has expired, is not valid yet, or names another issuer or audience', async () => {
    const now = Math.floor(Date.now() / 1000);
    const tokens = await Promise.all([
      sign({ ...valid, exp: now - 60 }),
      sign({ ...valid, nbf: now + 600 }),
      sign({ ...valid, iss: 'https://elsewhere.example.com' }),
      sign({ ...valid, client_id: 'another-app' }),
    ]);
    for (const token of tokens) expect(await authorize(bearer(token))).toEqual({ ok: false, status: 401 });
  });

  it('answers 403 when the route names scopes the token does not have, and passes them when it does', async () => {
    const token = bearer(await sign(valid));

    expect(await authorize(token, ['pulso/admin'])).toEqual({ ok: false, status: 403 });
    expect(await authorize(token, ['pulso/admin', 'pulso/api'])).toMatchObject({
      ok: true,
      scopes: ['pulso/api'],
    });
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [head, , signature] = (await sign(valid)).split('.');
    const forged = Buffer.from(JSON.stringify({ ...valid, sub: 'mallory' })).toString('base64url');
    expect(await authorize(bearer(`${head}.${forged}.${signature}`))).toEqual({ ok: false, status: 401 });
  });
});
