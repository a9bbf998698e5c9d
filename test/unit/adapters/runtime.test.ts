import { afterEach, describe, expect, it } from 'vitest';
import { dynamoClient, tableAdapters } from '#adapters/runtime.ts';

const previous = process.env.TABLE_NAME;
afterEach(() => {
  if (previous === undefined) delete process.env.TABLE_NAME;
  else process.env.TABLE_NAME = previous;
});

describe('tableAdapters', () => {
  it('fails at once when TABLE_NAME is missing', () => {
    delete process.env.TABLE_NAME;
    expect(() => tableAdapters()).toThrow(/TABLE_NAME/);
  });

  it('builds a store once per container and table, over one DynamoDB client', () => {
    process.env.TABLE_NAME = 'runtime-test';
    const { cases } = tableAdapters();
    expect(tableAdapters().cases).toBe(cases);
    expect(dynamoClient()).toBe(dynamoClient());
    process.env.TABLE_NAME = 'other-table';
    expect(tableAdapters().cases).not.toBe(cases);
  });
});
