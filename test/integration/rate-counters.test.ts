import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamodb/keys.ts';
import { DynamoRateCounterStore } from '#adapters/dynamodb/rate-counters.ts';
import { marshallKey } from '#adapters/dynamodb/surveys.ts';
import { type RateAdmission, rateAdmissionFor } from '#capture/rules/rate-limit.ts';
import { DEFAULT_RATE_LIMIT } from '#kernel/survey.ts';
import { createTable, itemBytes } from '../../bench/support.ts';
import { startTestDynamo } from '../support/http.ts';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let table: string;
let store: DynamoRateCounterStore;
const salt = Buffer.alloc(32, 7);
const now = new Date();
let seq = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  table = `rate-counters-${Date.now()}`;
  await createTable(dynamo.client, table);
  store = new DynamoRateCounterStore(dynamo.client, table);
});
afterAll(async () => {
  await dynamo?.stop();
});

/** A fresh address per test, so tests share the table but not counters. */
const address = () => `198.51.100.${++seq}`;
const device = (name: string) => `${name}${'x'.repeat(22 - name.length)}`;
const admission = (sourceIp: string, deviceId?: string): RateAdmission =>
  rateAdmissionFor(salt, {
    surveyId: 'demo',
    policy: DEFAULT_RATE_LIMIT,
    deviceId,
    sourceIp,
    now,
  });
const stored = async (a: RateAdmission) =>
  (
    await dynamo.client.send(
      new GetItemCommand({
        TableName: table,
        Key: marshallKey(keys.rateCounter(a.surveyId, a.address, a.windowStart)),
        ConsistentRead: true,
      }),
    )
  ).Item ?? {};
const counts = async (a: RateAdmission) => {
  const item = await stored(a);
  return {
    n: Number(item.n?.N ?? 0),
    tags: item.subs?.SS?.length ?? 0,
    device: Number(item[`d${a.device}`]?.N ?? 0),
  };
};

describe('DynamoRateCounterStore', () => {
  it('refuses the 4th post of one device while another device on the same address is admitted', async () => {
    const ip = address();
    const phone = admission(ip, device('phone'));
    for (let i = 0; i < 3; i++) expect(await store.hit(phone, `phone-${i}`)).toEqual({ status: 'counted' });
    expect(await store.hit(phone, 'phone-3')).toEqual({ status: 'limited', limit: 'device' });
    expect(await store.hit(admission(ip, device('tablet')), 'tablet-0')).toEqual({ status: 'counted' });
    expect(await counts(phone)).toEqual({ n: 4, tags: 4, device: 3 });
  });

  it('refuses the 31st post from one address, whatever the device or none', async () => {
    const ip = address();
    for (let i = 0; i < 30; i++) {
      const outcome = await store.hit(admission(ip, i % 3 ? device(`d${i}`) : undefined), `t-${i}`);
      expect(outcome).toEqual({ status: 'counted' });
    }
    expect(await store.hit(admission(ip, device('late')), 't-30')).toEqual({
      status: 'limited',
      limit: 'address',
    });
    expect(await store.hit(admission(ip), 't-31')).toEqual({ status: 'limited', limit: 'address' });
    const full = await stored(admission(ip));
    expect(Number(full.n?.N)).toBe(30);
    // 30 tags and 20 devices on a 4-character survey id: well under the 1 KB of one write unit.
    expect(itemBytes(full)).toBeLessThan(1024);
  });

  it('knows a repeat and does not count it, even on a full device', async () => {
    const phone = admission(address(), device('phone'));
    for (let i = 0; i < 3; i++) await store.hit(phone, `tap-${i}`);
    expect(await store.hit(phone, 'tap-2')).toEqual({ status: 'repeat' });
    expect(await store.hit(admission(address()), 'tap-2')).toEqual({ status: 'counted' });
    expect(await counts(phone)).toEqual({ n: 3, tags: 3, device: 3 });
  });

  it('gives back the address count, the tag and the device count in one release, once', async () => {
    const phone = admission(address(), device('phone'));
    await store.hit(phone, 'kept');
    await store.hit(phone, 'given-back');
    await store.release(phone, 'given-back');
    await store.release(phone, 'given-back');
    expect(await counts(phone)).toEqual({ n: 1, tags: 1, device: 1 });
    expect(await store.hit(phone, 'given-back')).toEqual({ status: 'counted' });
  });

  it('gives back only the address count of a post without a device', async () => {
    const ip = address();
    const anonymous = admission(ip);
    await store.hit(admission(ip, device('phone')), 'with-device');
    await store.hit(anonymous, 'without');
    await store.release(anonymous, 'without');
    expect(await counts(admission(ip, device('phone')))).toEqual({ n: 1, tags: 1, device: 1 });
  });

  it('never overshoots either limit under concurrent posts', async () => {
    const ip = address();
    const phone = admission(ip, device('phone'));
    const deviceOutcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.hit(phone, `c-${i}`)),
    );
    expect(deviceOutcomes.filter((o) => o.status === 'counted')).toHaveLength(3);
    expect(deviceOutcomes.filter((o) => o.status === 'limited')).toHaveLength(7);

    const addressOutcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => store.hit(admission(ip, device(`n${i}`)), `a-${i}`)),
    );
    expect(addressOutcomes.filter((o) => o.status === 'counted')).toHaveLength(27);
    expect(addressOutcomes.filter((o) => o.status === 'limited')).toEqual(
      Array(13).fill({ status: 'limited', limit: 'address' }),
    );
    expect(await counts(phone)).toEqual({ n: 30, tags: 30, device: 3 });
  });
});
