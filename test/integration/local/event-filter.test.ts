import { describe, expect, it } from 'vitest';
import { matchesAnyFilter, matchesPattern } from '#local/event-filter.ts';

const insertResponse = {
  eventName: 'INSERT',
  dynamodb: {
    Keys: { pk: { S: 'RESPONSE#demo#1' } },
    NewImage: {
      type: { S: 'response' },
      score: { N: '3' },
      region: { S: 'north-east' },
      tags: { SS: ['a', 'b'] },
    },
  },
  count: 7,
};

describe('matchesPattern', () => {
  it.each([
    ['exact values in arrays', { eventName: ['INSERT', 'MODIFY'] }, true],
    ['an exact value that differs', { eventName: ['REMOVE'] }, false],
    [
      'nested exact values (the Pulso consumers filter)',
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['response'] } } } },
      true,
    ],
    ['nested exact values that differ', { dynamodb: { NewImage: { type: { S: ['survey'] } } } }, false],
    [
      'exists true on a present field',
      { dynamodb: { NewImage: { region: { S: [{ exists: true }] } } } },
      true,
    ],
    [
      'exists true on a missing field',
      { dynamodb: { OldImage: { region: { S: [{ exists: true }] } } } },
      false,
    ],
    [
      'exists false on a missing field',
      { dynamodb: { OldImage: { region: { S: [{ exists: false }] } } } },
      true,
    ],
    ['exists false on a present field', { eventName: [{ exists: false }] }, false],
    ['prefix', { dynamodb: { Keys: { pk: { S: [{ prefix: 'RESPONSE#' }] } } } }, true],
    ['prefix that differs', { dynamodb: { Keys: { pk: { S: [{ prefix: 'CASE#' }] } } } }, false],
    ['suffix', { dynamodb: { NewImage: { region: { S: [{ suffix: '-east' }] } } } }, true],
    ['anything-but a list', { eventName: [{ 'anything-but': ['REMOVE', 'MODIFY'] }] }, true],
    ['anything-but that excludes the value', { eventName: [{ 'anything-but': ['INSERT'] }] }, false],
    ['anything-but a prefix', { eventName: [{ 'anything-but': { prefix: 'IN' } }] }, false],
    ['numeric range on a number', { count: [{ numeric: ['>', 5, '<=', 7] }] }, true],
    ['numeric range that excludes the number', { count: [{ numeric: ['<', 5] }] }, false],
    [
      'numeric on a DynamoDB N string (not a JSON number)',
      { dynamodb: { NewImage: { score: { N: [{ numeric: ['>', 0] }] } } } },
      false,
    ],
    ['a value inside an event array', { dynamodb: { NewImage: { tags: { SS: ['b'] } } } }, true],
    ['equals-ignore-case', { eventName: [{ 'equals-ignore-case': 'insert' }] }, true],
    ['$or with one matching branch', { $or: [{ eventName: ['REMOVE'] }, { count: [7] }] }, true],
  ])('decides %s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, insertResponse)).toBe(expected);
  });

  it('keeps every record when a mapping has no filters', () => {
    expect(matchesAnyFilter([], insertResponse)).toBe(true);
  });

  it('keeps a record when any one of several filters matches', () => {
    expect(matchesAnyFilter([{ eventName: ['REMOVE'] }, { eventName: ['INSERT'] }], insertResponse)).toBe(
      true,
    );
  });

  it('rejects an unknown operator when a pattern uses one', () => {
    expect(() => matchesPattern({ eventName: [{ regex: '.*' }] }, insertResponse)).toThrow(
      /Unsupported filter operator/,
    );
  });
});
