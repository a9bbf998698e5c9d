import { describe, expect, it } from 'vitest';
import { signLink } from '#capture/rules/links.ts';
import { addressKey, rateAdmissionFor, windowOf } from '#capture/rules/rate-limit.ts';
import { type FormPost, recordFormResponse } from '#capture/use-cases/record-form-response.ts';
import { LINK_KEY } from '#capture/use-cases/survey-links.ts';
import { ConflictError, RateLimitedError, RefusedError, ValidationError } from '#kernel/errors.ts';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { builtinAnalyzer, MemoryResponseStore, MemorySurveyStore } from '../../support/fakes.ts';
import { MemoryRateCounterStore, MemorySigningKeyStore } from '../../support/link-fakes.ts';

const salt = Buffer.alloc(32, 3);
const DEVICE = 'dddddddddddddddddddddd';
const OTHER_DEVICE = 'eeeeeeeeeeeeeeeeeeeeee';

describe('windowOf', () => {
  it.each([
    {
      at: '2026-11-20T10:59:59.999Z',
      minutes: 60,
      start: '2026-11-20T10:00:00.000Z',
      end: '2026-11-20T11:00:00.000Z',
    },
    {
      at: '2026-11-20T11:00:00.000Z',
      minutes: 60,
      start: '2026-11-20T11:00:00.000Z',
      end: '2026-11-20T12:00:00.000Z',
    },
    {
      at: '2026-11-20T11:30:00.000Z',
      minutes: 1440,
      start: '2026-11-20T00:00:00.000Z',
      end: '2026-11-21T00:00:00.000Z',
    },
    {
      at: '1970-01-01T00:13:00.000Z',
      minutes: 7,
      start: '1970-01-01T00:07:00.000Z',
      end: '1970-01-01T00:14:00.000Z',
    },
  ])('puts $at in the $minutes-minute window from $start', ({ at, minutes, start, end }) => {
    const w = windowOf(new Date(at), minutes);
    expect([w.start.toISOString(), w.end.toISOString()]).toEqual([start, end]);
  });
});

describe('addressKey', () => {
  it.each([
    { ip: '203.0.113.7', key: '203.0.113.7' },
    { ip: '::ffff:203.0.113.7', key: '203.0.113.7' },
    { ip: '2001:db8:1:2:3:4:5:6', key: '2001:db8:1:2::/64' },
    { ip: '2001:DB8:1:2:ffff:4:5:6', key: '2001:db8:1:2::/64' },
    { ip: '2001:db8::1', key: '2001:db8:0:0::/64' },
    { ip: '2001:0db8:0000:0000::1%eth0', key: '2001:db8:0:0::/64' },
    { ip: '::1', key: '0:0:0:0::/64' },
    { ip: 'not-an-ip', key: 'not-an-ip' },
  ])('keys $ip as $key', ({ ip, key }) => {
    expect(addressKey(ip)).toBe(key);
  });
});

describe('rateAdmissionFor', () => {
  const base = {
    surveyId: 'demo',
    policy: { perDevice: 3, perAddress: 30, windowMinutes: 60 },
    sourceIp: '203.0.113.7',
    now: new Date('2026-11-20T10:15:00Z'),
  };

  it('carries both limits on one admission that expires at the end of the window', () => {
    const admission = rateAdmissionFor(salt, { ...base, deviceId: DEVICE });
    expect(admission).toMatchObject({
      surveyId: 'demo',
      perDevice: 3,
      perAddress: 30,
      windowStart: '2026-11-20T10:00:00.000Z',
      expiresAt: Date.parse('2026-11-20T11:00:00Z') / 1000,
    });
    expect(admission.device).toBeDefined();
  });

  it.each([
    { name: 'no device cookie', deviceId: undefined },
    { name: 'a device id that is not ours', deviceId: 'short' },
  ])('limits by address alone with $name', ({ deviceId }) => {
    expect(rateAdmissionFor(salt, { ...base, deviceId }).device).toBeUndefined();
  });

  it('keeps neither the address nor the device id, only salted hashes', () => {
    const admission = rateAdmissionFor(salt, { ...base, deviceId: DEVICE });
    expect(admission.address).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(admission.device).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(admission.address).not.toContain('203');
    expect(admission.device).not.toContain(DEVICE.slice(0, 4));
    const otherSalt = rateAdmissionFor(Buffer.alloc(32, 4), { ...base, deviceId: DEVICE });
    expect(otherSalt.address).not.toBe(admission.address);
    expect(otherSalt.device).not.toBe(admission.device);
  });

  it('gives every address of one IPv6 /64 the same counter', () => {
    const a = rateAdmissionFor(salt, { ...base, sourceIp: '2001:db8:1:2::aaaa' });
    const b = rateAdmissionFor(salt, { ...base, sourceIp: '2001:db8:1:2:9:8:7:6' });
    const c = rateAdmissionFor(salt, { ...base, sourceIp: '2001:db8:1:3::aaaa' });
    expect(a.address).toBe(b.address);
    expect(a.address).not.toBe(c.address);
  });
});

describe('recordFormResponse', () => {
  const survey = surveySchema.parse(demoSurvey);
  const setup = (over: Partial<typeof survey> = {}) => {
    let now = new Date('2026-11-20T10:15:00Z');
    const responses = new MemoryResponseStore();
    const rateCounters = new MemoryRateCounterStore();
    const signingKeys = new MemorySigningKeyStore();
    const deps = {
      surveys: new MemorySurveyStore([{ ...survey, ...over }]),
      responses,
      analyzer: builtinAnalyzer,
      clock: { now: () => now },
      signingKeys,
      rateCounters,
    };
    const advance = (minutes: number) => {
      now = new Date(now.getTime() + minutes * 60_000);
    };
    return { deps, responses, rateCounters, signingKeys, advance };
  };
  let seq = 0;
  const post = (over: Partial<FormPost> = {}): FormPost => ({
    surveyId: 'demo',
    submissionId: `form-${String(++seq).padStart(6, '0')}`,
    answers: { nps: '9', csat: '5', ces: '6' },
    attributes: { store: 's-001' },
    locale: 'en',
    client: { deviceId: DEVICE, sourceIp: '203.0.113.7' },
    ...over,
  });

  it('stores the post and counts it on its device and its address in one write', async () => {
    const { deps, responses, rateCounters } = setup();
    const result = await recordFormResponse(deps, post());
    expect(result.status).toBe('created');
    expect(result.response.capturedVia).toBe('web');
    expect(responses.items.size).toBe(1);
    expect([rateCounters.total('device'), rateCounters.total('address')]).toEqual([1, 1]);
    expect(rateCounters.writes).toBe(1);
  });

  it('refuses the 4th post from one device in the window, storing and counting nothing', async () => {
    const { deps, responses, rateCounters } = setup();
    for (let i = 0; i < 3; i++) await recordFormResponse(deps, post());
    const fourth = recordFormResponse(deps, post());
    await expect(fourth).rejects.toBeInstanceOf(RateLimitedError);
    await expect(fourth).rejects.toMatchObject({ retryAfterSeconds: 45 * 60 });
    expect(responses.items.size).toBe(3);
    expect([rateCounters.total('device'), rateCounters.total('address')]).toEqual([3, 3]);
  });

  it.each([
    { limit: 'device', perDevice: 3, perAddress: 30, others: 0 },
    { limit: 'address', perDevice: 3, perAddress: 4, others: 3 },
  ])('names the $limit limit in the refusal when it is the one reached', async (c) => {
    const { deps } = setup({
      rateLimit: { perDevice: c.perDevice, perAddress: c.perAddress, windowMinutes: 60 },
    });
    for (let i = 0; i < c.others; i++)
      await recordFormResponse(deps, post({ client: { sourceIp: '203.0.113.7' } }));
    for (let i = 0; i < c.perAddress - c.others && i < c.perDevice; i++)
      await recordFormResponse(deps, post());
    await expect(recordFormResponse(deps, post())).rejects.toThrow(`responses per ${c.limit} to survey`);
  });

  it('admits another device on the same address when one device is full', async () => {
    const { deps, responses } = setup();
    for (let i = 0; i < 3; i++) await recordFormResponse(deps, post());
    await expect(recordFormResponse(deps, post())).rejects.toBeInstanceOf(RateLimitedError);
    await expect(
      recordFormResponse(deps, post({ client: { deviceId: OTHER_DEVICE, sourceIp: '203.0.113.7' } })),
    ).resolves.toMatchObject({ status: 'created' });
    expect(responses.items.size).toBe(4);
  });

  it('counts a device per address: a phone that changes network gets its device limit there too', async () => {
    const { deps } = setup();
    for (let i = 0; i < 3; i++) await recordFormResponse(deps, post());
    const mobile = { deviceId: DEVICE, sourceIp: '198.51.100.9' };
    await expect(recordFormResponse(deps, post({ client: mobile }))).resolves.toMatchObject({
      status: 'created',
    });
  });

  it('admits the device again in the next window', async () => {
    const { deps, responses, advance } = setup();
    for (let i = 0; i < 3; i++) await recordFormResponse(deps, post());
    advance(45);
    await expect(recordFormResponse(deps, post())).resolves.toMatchObject({ status: 'created' });
    expect(responses.items.size).toBe(4);
  });

  it('counts a double tap of the same submission once, and does not refuse it at the limit', async () => {
    const { deps, rateCounters } = setup();
    await recordFormResponse(deps, post());
    await recordFormResponse(deps, post());
    const third = post();
    await recordFormResponse(deps, third);
    await expect(recordFormResponse(deps, third)).resolves.toMatchObject({ status: 'duplicate' });
    expect([rateCounters.total('device'), rateCounters.total('address')]).toEqual([3, 3]);
  });

  it('gives back the count of a repeat or a conflict that lands in a new window', async () => {
    const { deps, rateCounters, advance } = setup();
    const first = post();
    await recordFormResponse(deps, first);
    advance(50);
    await expect(recordFormResponse(deps, first)).resolves.toMatchObject({ status: 'duplicate' });
    await expect(
      recordFormResponse(deps, { ...first, answers: { nps: '1', csat: '1', ces: '1' } }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect([rateCounters.total('device'), rateCounters.total('address')]).toEqual([1, 1]);
  });

  it('limits posts without a device cookie by address, and counts no device when the address is full', async () => {
    const { deps, responses, rateCounters } = setup({
      rateLimit: { perDevice: 3, perAddress: 4, windowMinutes: 60 },
    });
    for (let i = 0; i < 4; i++) await recordFormResponse(deps, post({ client: { sourceIp: '203.0.113.7' } }));
    await expect(
      recordFormResponse(deps, post({ client: { sourceIp: '203.0.113.7' } })),
    ).rejects.toBeInstanceOf(RateLimitedError);
    await expect(
      recordFormResponse(deps, post({ client: { deviceId: OTHER_DEVICE, sourceIp: '203.0.113.7' } })),
    ).rejects.toBeInstanceOf(RateLimitedError);
    expect(rateCounters.total('device')).toBe(0);
    expect(responses.items.size).toBe(4);
    // Another address is not affected.
    await expect(
      recordFormResponse(deps, post({ client: { sourceIp: '198.51.100.1' } })),
    ).resolves.toMatchObject({ status: 'created' });
  });

  it('keeps the limits of each survey apart', async () => {
    const { deps } = setup();
    await deps.surveys.put({ ...survey, id: 'other' });
    for (let i = 0; i < 3; i++) await recordFormResponse(deps, post());
    await expect(recordFormResponse(deps, post({ surveyId: 'other' }))).resolves.toMatchObject({
      status: 'created',
    });
  });

  it('admits exactly the limit when posts from one device arrive at once', async () => {
    const { deps, responses } = setup();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => recordFormResponse(deps, post())),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(responses.items.size).toBe(3);
  });

  it('counts nothing for answers that do not fit the survey', async () => {
    const { deps, rateCounters } = setup();
    await expect(recordFormResponse(deps, post({ answers: { nps: '11' } }))).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(rateCounters.writes).toBe(0);
  });

  it('stores and counts nothing when a hidden attribute no longer matches its sig', async () => {
    const { deps, responses, rateCounters, signingKeys } = setup();
    const sig = signLink(await signingKeys.get(LINK_KEY), 'demo', { store: 's-001' });
    await expect(recordFormResponse(deps, post({ sig }))).resolves.toMatchObject({ status: 'created' });
    await expect(
      recordFormResponse(deps, post({ sig, attributes: { store: 's-002' } })),
    ).rejects.toBeInstanceOf(RefusedError);
    expect(responses.items.size).toBe(1);
    expect(rateCounters.total('device')).toBe(1);
  });

  it('refuses unsigned attributes when the survey requires signed links', async () => {
    const { deps, responses } = setup({ requireSignedLinks: true });
    await expect(recordFormResponse(deps, post())).rejects.toBeInstanceOf(RefusedError);
    await expect(recordFormResponse(deps, post({ attributes: {} }))).resolves.toMatchObject({
      status: 'created',
    });
    expect(responses.items.size).toBe(1);
  });
});

describe('the survey options', () => {
  it('default to 3 per device, 30 per address in 60 minutes, and unsigned links allowed', () => {
    const parsed = surveySchema.parse(demoSurvey);
    expect(parsed.rateLimit).toEqual({ perDevice: 3, perAddress: 30, windowMinutes: 60 });
    expect(parsed.requireSignedLinks).toBe(false);
  });

  it('fill in the limits a survey leaves out, and refuse a window over 30 days', () => {
    expect(surveySchema.parse({ ...demoSurvey, rateLimit: { perAddress: 100 } }).rateLimit).toEqual({
      perDevice: 3,
      perAddress: 100,
      windowMinutes: 60,
    });
    expect(
      surveySchema.safeParse({ ...demoSurvey, rateLimit: { windowMinutes: 30 * 24 * 60 + 1 } }).success,
    ).toBe(false);
    // A window's counter item keeps a tag per counted post: more than 10,000 would not fit in one item.
    expect(surveySchema.safeParse({ ...demoSurvey, rateLimit: { perAddress: 10_001 } }).success).toBe(false);
  });
});
