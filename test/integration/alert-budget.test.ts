import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAlertBudgetStore } from '#adapters/dynamodb/alert-budget.ts';
import { keys } from '#adapters/dynamodb/keys.ts';
import { marshallKey } from '#adapters/dynamodb/surveys.ts';
import { caseIdOf } from '#loop/rules/cases.ts';
import { DEFAULT_ALERTS_PER_OWNER_HOUR, DIGEST_LISTED, hourOf } from '#loop/rules/digests.ts';
import { createTable, meteredClient } from '../../bench/support.ts';
import { startTestDynamo } from '../support/http.ts';

/**
 * The alert budget on DynamoDB Local: an owner's hour stays one small item however many cases it gets, so an
 * admit costs about one write unit at 10 cases an hour or at 10,000.
 */
let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let metered: ReturnType<typeof meteredClient>;
let client: DynamoDBClient;
let table: string;
const AT = new Date('2026-11-20T10:05:00Z');
const LIMIT = DEFAULT_ALERTS_PER_OWNER_HOUR;
const caseId = (owner: string, i: number) => caseIdOf('demo', `${owner}-${i}`);

beforeAll(async () => {
  dynamo = await startTestDynamo();
  metered = meteredClient(dynamo.engine.endpoint);
  client = metered.client;
  table = `budget-${Date.now()}`;
  await createTable(client, table);
}, 120_000);
afterAll(async () => {
  metered?.client.destroy();
  await dynamo?.stop();
});

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers about a byte per two digits). */
const sizeOf = (item: Record<string, AttributeValue>) =>
  Object.entries(item).reduce((total, [name, v]) => {
    const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
    const value = v.S
      ? bytes(v.S)
      : v.N
        ? Math.ceil(v.N.length / 2) + 1
        : (v.SS ?? []).reduce((sum, s) => sum + bytes(s), 0);
    return total + bytes(name) + value;
  }, 0);

async function itemOf(owner: string) {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: table,
      Key: marshallKey(keys.alertBudget(owner, hourOf(AT))),
      ConsistentRead: true,
    }),
  );
  return Item ?? {};
}

/** The write units one call consumed, as DynamoDB reports them (a failed condition counted as one). */
async function unitsOf<T>(call: () => Promise<T>): Promise<{ result: T; units: number }> {
  const before = metered.meter.writeUnits;
  const result = await call();
  return { result, units: metered.meter.writeUnits - before };
}

describe('the alert budget of an owner and hour', () => {
  const owner = 'cx-team@example.com';
  const budget = () => new DynamoAlertBudgetStore(client, table);

  it('sends 10 cases, digests the other 100, and keeps the hour in one item under 1 KB', async () => {
    const admissions = [];
    for (let i = 0; i < LIMIT + 100; i++)
      admissions.push(await budget().admit(owner, caseId(owner, i), AT, LIMIT, 'es'));
    expect(admissions.slice(0, LIMIT).every((a) => a === 'send')).toBe(true);
    expect(admissions.slice(LIMIT).every((a) => a === 'digest')).toBe(true);

    const item = await itemOf(owner);
    expect(item.cases?.SS).toHaveLength(LIMIT);
    expect(item.digested?.SS).toHaveLength(DIGEST_LISTED);
    expect(item.more?.N).toBe(String(100 - DIGEST_LISTED));
    expect(sizeOf(item)).toBeLessThan(1024);
    // 220 requests in a row: a loaded machine needs more than the default 30 s.
  }, 120_000);

  it('costs about one write unit an admit past the budget, however many cases came before', async () => {
    const { result, units } = await unitsOf(() =>
      budget().admit(owner, caseId(owner, 1000), AT, LIMIT, 'es'),
    );
    expect(result).toBe('digest');
    // The failed condition within the budget, and the count (with its copy in the digest index).
    expect(units).toBeLessThanOrEqual(3);
  });

  it('changes nothing when a listed case is retried, and sends a sent case again counting nothing', async () => {
    const before = await itemOf(owner);
    const listed = before.digested?.SS?.[0] ?? '';
    expect(await budget().admit(owner, listed, AT, LIMIT, 'es')).toBe('digest');
    expect(await budget().admit(owner, caseId(owner, 3), AT, LIMIT, 'es')).toBe('send');
    expect(await itemOf(owner)).toEqual(before);
  });

  it('lists DIGEST_LISTED cases in the pending digest and counts the others', async () => {
    const digests = await budget().pendingDigests(new Date('2026-11-20T11:00:00Z'));
    const digest = digests.find((d) => d.owner === owner);
    expect(digest).toMatchObject({ hour: hourOf(AT), locale: 'es', more: 100 - DIGEST_LISTED + 1 });
    expect(digest?.caseIds).toHaveLength(DIGEST_LISTED);
    expect(await budget().pendingDigests(new Date('2026-11-20T10:59:00Z'))).toEqual([]);
  });

  it('sends on its own a case that comes once the digest is gone', async () => {
    expect(await budget().markDigestSent(owner, hourOf(AT), new Date('2026-11-20T11:00:00Z'))).toBe(true);
    const before = await itemOf(owner);
    expect(await budget().admit(owner, caseId(owner, 2000), AT, LIMIT, 'es')).toBe('send');
    expect(await itemOf(owner)).toEqual(before);
    expect(await budget().pendingDigests(new Date('2026-11-20T11:05:00Z'))).toEqual([]);
  });

  it('lists exactly DIGEST_LISTED cases when many alerts fill the listing at once', async () => {
    const busy = 'busy-store@example.com';
    for (let i = 0; i < LIMIT; i++) await budget().admit(busy, caseId(busy, i), AT, LIMIT);
    const at = await Promise.all(
      Array.from({ length: DIGEST_LISTED + 15 }, (_, i) =>
        budget().admit(busy, caseId(busy, LIMIT + i), AT, LIMIT),
      ),
    );
    expect(at.every((a) => a === 'digest')).toBe(true);
    const item = await itemOf(busy);
    expect(item.digested?.SS).toHaveLength(DIGEST_LISTED);
    expect(item.more?.N).toBe('15');
  });
});
