import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactStore, DynamoFatigueStore } from '#adapters/dynamodb/contacts.ts';
import { parseContactsCsv } from '#invitations/rules/contacts.ts';
import { createTable } from '../../bench/support.ts';
import { startTestDynamo } from '../support/http.ts';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let client: DynamoDBClient;
let table: string;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  client = dynamo.client;
  table = `contacts-${Date.now()}`;
  await createTable(client, table);
});
afterAll(async () => {
  await dynamo?.stop();
});

describe('contacts on DynamoDB Local', () => {
  it('imports the good rows of a large file and reads a contact back', async () => {
    const lines = ['email,locale,store'];
    for (let i = 0; i < 1200; i++)
      lines.push(i % 100 === 0 ? `broken-${i},es,s-${i % 10}` : `person${i}@example.com,es,s-${i % 10}`);
    const parsed = parseContactsCsv(lines.join('\n'));
    expect(parsed.contacts).toHaveLength(1188);
    expect(parsed.errors).toHaveLength(12);
    expect(parsed.errors[0]?.line).toBe(2);
    const store = new DynamoContactStore(client, table);
    await store.putMany(parsed.contacts, 365);
    const one = parsed.contacts[5];
    expect(await store.get(one?.contactId ?? '')).toEqual(one);
  });
});

describe('fatigue on DynamoDB Local', () => {
  const fatigue = () => new DynamoFatigueStore(client, table);
  const at = new Date('2026-11-20T12:00:00Z');

  it('lets one of two racing campaigns invite a contact, never both', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fatigue().claim({ contactId: 'racer', by: `campaign-${i}`, at, quietDays: 30 }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('refuses a second survey within 30 days and allows one after', async () => {
    expect(await fatigue().claim({ contactId: 'rested', by: 'a', at, quietDays: 30 })).toBe(true);
    expect(
      await fatigue().claim({
        contactId: 'rested',
        by: 'b',
        at: new Date(at.getTime() + 29 * 86_400_000),
        quietDays: 30,
      }),
    ).toBe(false);
    expect(
      await fatigue().claim({
        contactId: 'rested',
        by: 'c',
        at: new Date(at.getTime() + 30 * 86_400_000),
        quietDays: 30,
      }),
    ).toBe(true);
  });
});
