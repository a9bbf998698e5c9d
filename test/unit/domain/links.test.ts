import { describe, expect, it } from 'vitest';
import { canonicalLink, checkLink, signLink, surveyLink, verifyLink } from '#capture/rules/links.ts';
import { checkSurveyLink, createSurveyLink, LINK_KEY } from '#capture/use-cases/survey-links.ts';
import { NotFoundError, RefusedError, ValidationError } from '#kernel/errors.ts';
import { demoSurvey, type Survey, surveySchema } from '#kernel/survey.ts';
import { MemorySurveyStore } from '../../support/fakes.ts';
import { MemorySigningKeyStore } from '../../support/link-fakes.ts';

const key = Buffer.alloc(32, 7);
const attrs = { store: 's-001', section: 'bar' };
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('signLink and verifyLink', () => {
  const sig = signLink(key, 'demo', attrs);

  it('verifies the signature it made, as 22 base64url characters (16 bytes)', () => {
    expect(sig).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(verifyLink(key, 'demo', attrs, sig)).toBe(true);
  });

  it('signs the same attributes the same way whatever their order', () => {
    expect(signLink(key, 'demo', { section: 'bar', store: 's-001' })).toBe(sig);
  });

  it('signs and verifies a link without attributes, which then takes none', () => {
    const bare = signLink(key, 'demo', {});
    expect(verifyLink(key, 'demo', {}, bare)).toBe(true);
    expect(verifyLink(key, 'demo', { store: 's-001' }, bare)).toBe(false);
  });

  it.each<{ name: string; survey: string; attributes: Record<string, string> }>([
    { name: 'the store changed', survey: 'demo', attributes: { ...attrs, store: 's-002' } },
    { name: 'a value in other case', survey: 'demo', attributes: { ...attrs, store: 'S-001' } },
    { name: 'a trailing space', survey: 'demo', attributes: { ...attrs, store: 's-001 ' } },
    { name: 'an attribute added', survey: 'demo', attributes: { ...attrs, region: 'north' } },
    { name: 'an attribute removed', survey: 'demo', attributes: { store: 's-001' } },
    { name: 'a key renamed', survey: 'demo', attributes: { store: 's-001', sector: 'bar' } },
    { name: 'values swapped between keys', survey: 'demo', attributes: { store: 'bar', section: 's-001' } },
    { name: 'another survey', survey: 'other', attributes: attrs },
  ])('refuses the signature when $name', ({ survey, attributes }) => {
    expect(verifyLink(key, survey, attributes, sig)).toBe(false);
  });

  it('refuses a signature made with another key', () => {
    expect(verifyLink(Buffer.alloc(32, 8), 'demo', attrs, sig)).toBe(false);
  });

  const lastBitsAlias = (s: string) => {
    // The last of 22 characters carries 2 bits of the 16 bytes; the other 4 are ignored by decoders.
    const last = B64URL.indexOf(s.at(-1) ?? 'A');
    return s.slice(0, -1) + B64URL[(last & 0b110000) | ((last + 1) & 0b001111)];
  };

  it.each([
    { name: 'missing', given: undefined },
    { name: 'empty', given: '' },
    { name: 'one character short', given: sig.slice(0, 21) },
    { name: 'one character long', given: `${sig}A` },
    { name: 'padded', given: `${sig}==` },
    { name: 'in standard base64 characters', given: `${sig.slice(0, 20)}+/` },
    { name: 'with a stray character', given: `${sig.slice(0, 10)}.${sig.slice(11)}` },
    {
      name: 'with one character changed',
      given: sig.slice(0, 5) + (sig[5] === 'A' ? 'B' : 'A') + sig.slice(6),
    },
    { name: 'the full 32-byte HMAC', given: Buffer.alloc(32).toString('base64url') },
  ])('refuses a sig that is $name', ({ given }) => {
    expect(verifyLink(key, 'demo', attrs, given)).toBe(false);
  });

  it('refuses another spelling of the same 16 bytes', () => {
    const alias = lastBitsAlias(sig);
    expect(alias).not.toBe(sig);
    expect(Buffer.from(alias, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    expect(verifyLink(key, 'demo', attrs, alias)).toBe(false);
  });
});

describe('canonicalLink', () => {
  it('sorts keys by code unit, the same in every locale', () => {
    expect(canonicalLink('demo', { b: '1', B: '2', a: '3', _x: '4' })).toBe(
      '["demo",[["B","2"],["_x","4"],["a","3"],["b","1"]]]',
    );
  });

  it.each<{ name: string; one: Record<string, string>; two: Record<string, string> }>([
    { name: 'a separator in a value', one: { a: '1&b=2' }, two: { a: '1', b: '2' } },
    { name: 'quotes in a value', one: { a: 'x","b":"y' }, two: { a: 'x', b: 'y' } },
    { name: 'a comma in a value', one: { a: '1,2' }, two: { a: '1', '2': '' } },
  ])('keeps $name apart from the attributes it imitates', ({ one, two }) => {
    expect(canonicalLink('demo', one)).not.toBe(canonicalLink('demo', two));
    expect(verifyLink(key, 'demo', two, signLink(key, 'demo', one))).toBe(false);
  });

  it('keeps the survey id apart from the attributes', () => {
    expect(canonicalLink('demo', { a: 'b' })).not.toBe(canonicalLink('demo","a', {}));
  });

  it('takes Unicode byte for byte: a decomposed accent is another segment value and does not verify', () => {
    const composed = { store: 'Café' };
    const decomposed = { store: 'Cafe\u0301' };
    expect(verifyLink(key, 'demo', decomposed, signLink(key, 'demo', composed))).toBe(false);
    expect(verifyLink(key, 'demo', composed, signLink(key, 'demo', composed))).toBe(true);
  });
});

describe('checkLink', () => {
  const sig = signLink(key, 'demo', attrs);
  it.each([
    {
      name: 'a good sig',
      sig,
      attributes: attrs,
      requireSigned: false,
      expected: { ok: true, signed: true },
    },
    {
      name: 'a good sig on a survey that requires one',
      sig,
      attributes: attrs,
      requireSigned: true,
      expected: { ok: true, signed: true },
    },
    {
      name: 'a bad sig, even when signing is optional',
      sig: `${sig.slice(0, 21)}A`,
      attributes: { ...attrs, store: 's-002' },
      requireSigned: false,
      expected: { ok: false, reason: 'bad-signature' },
    },
    {
      name: 'attributes without sig on a survey that requires one',
      sig: undefined,
      attributes: attrs,
      requireSigned: true,
      expected: { ok: false, reason: 'unsigned' },
    },
    {
      name: 'no attributes and no sig on a survey that requires one',
      sig: undefined,
      attributes: {},
      requireSigned: true,
      expected: { ok: true, signed: false },
    },
    {
      name: 'attributes without sig when signing is optional',
      sig: undefined,
      attributes: attrs,
      requireSigned: false,
      expected: { ok: true, signed: false },
    },
  ])('answers $expected for $name', ({ sig: given, attributes, requireSigned, expected }) => {
    expect(checkLink(key, { surveyId: 'demo', attributes, sig: given, requireSigned })).toEqual(expected);
  });

  it('refuses a sig when there is no key to check it with', () => {
    expect(checkLink(undefined, { surveyId: 'demo', attributes: attrs, sig, requireSigned: false }).ok).toBe(
      false,
    );
  });
});

describe('surveyLink', () => {
  it('puts the attributes in key order, then lang, then sig, percent-encoding spaces', () => {
    const url = surveyLink('https://api.example.com/', {
      surveyId: 'demo',
      attributes: { store: 's 001', area: 'São Paulo' },
      lang: 'pt',
      sig: 'x'.repeat(22),
    });
    expect(url).toBe(
      `https://api.example.com/s/demo?area=S%C3%A3o%20Paulo&store=s%20001&lang=pt&sig=${'x'.repeat(22)}`,
    );
  });

  it('adds the slash a base URL lacks', () => {
    expect(surveyLink('http://127.0.0.1:3000', { surveyId: 'demo', attributes: {}, sig: 's' })).toBe(
      'http://127.0.0.1:3000/s/demo?sig=s',
    );
  });

  it('round-trips: the attributes read back from the link verify', () => {
    const attributes = { store: 's-001', note: 'a&b=c d+e', 'ü-key': 'x' };
    const url = new URL(
      surveyLink('https://x.test/', { surveyId: 'demo', attributes, sig: signLink(key, 'demo', attributes) }),
    );
    const read = Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'sig'));
    expect(read).toEqual(attributes);
    expect(verifyLink(key, 'demo', read, url.searchParams.get('sig') ?? '')).toBe(true);
  });
});

describe('createSurveyLink and checkSurveyLink', () => {
  const survey = surveySchema.parse(demoSurvey);
  const setup = (surveys: Survey[] = [survey]) => {
    const signingKeys = new MemorySigningKeyStore();
    return { signingKeys, deps: { surveys: new MemorySurveyStore(surveys), signingKeys } };
  };

  it('signs the attributes with the stored link key and builds the URL from the public URL', async () => {
    const { deps, signingKeys } = setup();
    const link = await createSurveyLink(deps, 'https://pulso.example.com/', {
      surveyId: 'demo',
      attributes: attrs,
      lang: 'es',
    });
    const linkKey = await signingKeys.get(LINK_KEY);
    expect(link.sig).toBe(signLink(linkKey, 'demo', attrs));
    expect(link.url).toBe(`https://pulso.example.com/s/demo?section=bar&store=s-001&lang=es&sig=${link.sig}`);
  });

  it.each([
    { name: 'an attribute named lang', input: { attributes: { lang: 'es' } }, field: 'attributes.lang' },
    { name: 'an attribute named sig', input: { attributes: { sig: 'x' } }, field: 'attributes.sig' },
    { name: 'an attribute named t', input: { attributes: { t: 'x' } }, field: 'attributes.t' },
    {
      name: 'a language the survey does not speak',
      input: { attributes: {}, lang: 'pt' as const },
      field: 'lang',
      surveys: [{ ...survey, locales: ['en' as const, 'es' as const] }],
    },
    {
      name: 'a link too long for a QR code',
      input: {
        attributes: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`k${i}`, 'v'.repeat(199)])),
      },
      field: 'attributes',
    },
  ])('refuses $name with a field error', async ({ input, field, surveys }) => {
    const { deps } = setup(surveys);
    const made = createSurveyLink(deps, 'https://x.test/', { surveyId: 'demo', ...input });
    await expect(made).rejects.toBeInstanceOf(ValidationError);
    await expect(made).rejects.toMatchObject({ errors: [expect.objectContaining({ field })] });
  });

  it('refuses an unknown survey', async () => {
    const { deps } = setup();
    await expect(
      createSurveyLink(deps, 'https://x.test/', { surveyId: 'nope', attributes: {} }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads no key for a plain link without attributes or sig', async () => {
    const { signingKeys } = setup();
    expect(await checkSurveyLink(signingKeys, survey, {}, undefined)).toEqual({ signed: false });
    expect(signingKeys.reads).toBe(0);
  });

  it('refuses a changed link and unsigned attributes on a survey that requires signed links', async () => {
    const { signingKeys } = setup();
    const sig = signLink(await signingKeys.get(LINK_KEY), 'demo', attrs);
    await expect(checkSurveyLink(signingKeys, survey, attrs, sig)).resolves.toEqual({ signed: true });
    await expect(
      checkSurveyLink(signingKeys, survey, { ...attrs, store: 's-002' }, sig),
    ).rejects.toBeInstanceOf(RefusedError);
    const strict = { ...survey, requireSignedLinks: true };
    await expect(checkSurveyLink(signingKeys, strict, attrs, undefined)).rejects.toBeInstanceOf(RefusedError);
  });
});
