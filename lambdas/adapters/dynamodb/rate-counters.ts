import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { RateCounterStore } from '#capture/ports.ts';
import type { HitOutcome, RateAdmission } from '#capture/rules/rate-limit.ts';
import { keys } from './keys.ts';
import { marshallKey } from './surveys.ts';

const keyOf = (a: RateAdmission) => marshallKey(keys.rateCounter(a.surveyId, a.address, a.windowStart));

/** A device's count is a top-level number: ADD creates it in the same write (a path inside a map could not). */
const deviceAttribute = (device: string) => `d${device}`;

const countOf = (v: AttributeValue | undefined) => Number(v?.N ?? 0);

/**
 * Rate counters, one item per address and window, deleted by TTL (`expiresAt`) after the window: `n` responses
 * from the address, the set `subs` of their submission tags, and `d<device hash>` responses from each device
 * posting from it. One conditional UpdateItem checks and counts both limits.
 *
 * Size at the default limits (30 per address), as DynamoDB bills it: keys at most 94 + 30 bytes (a survey id of
 * 64 characters), `type`, `expiresAt` and `n` 34, 30 tags of 12 characters 364 with the name, and at most 30
 * devices of 12 + 2 bytes 420: 942 bytes, one write unit, at worst. A write costs the larger of the item before
 * and after in 1 KB steps, so a survey that raises `perAddress` pays about perAddress x 26 bytes per write on a
 * busy address (100: 3 write units for the last posts of a window); DynamoDB's 400 KB item limit caps
 * `perAddress` at about 15,000.
 */
export class DynamoRateCounterStore implements RateCounterStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async hit(admission: RateAdmission, tag: string): Promise<HitOutcome> {
    const { device } = admission;
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(admission),
          UpdateExpression: `SET #type = :type, expiresAt = :exp ADD n :one, subs :tags${device ? ', #dev :one' : ''}`,
          ConditionExpression: `NOT contains(subs, :tag) AND (attribute_not_exists(n) OR n < :perAddress)${
            device ? ' AND (attribute_not_exists(#dev) OR #dev < :perDevice)' : ''
          }`,
          ExpressionAttributeNames: { '#type': 'type', ...(device && { '#dev': deviceAttribute(device) }) },
          ExpressionAttributeValues: {
            ':type': { S: 'rate-counter' },
            ':exp': { N: String(admission.expiresAt) },
            ':one': { N: '1' },
            ':tags': { SS: [tag] },
            ':tag': { S: tag },
            ':perAddress': { N: String(admission.perAddress) },
            ...(device && { ':perDevice': { N: String(admission.perDevice) } }),
          },
          // Tells a repeat from a full device or address in the same call, with no extra read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { status: 'counted' };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const old = err.Item ?? {};
      if (old.subs?.SS?.includes(tag)) return { status: 'repeat' };
      const deviceFull = device !== undefined && countOf(old[deviceAttribute(device)]) >= admission.perDevice;
      return { status: 'limited', limit: deviceFull ? 'device' : 'address' };
    }
  }

  async release(admission: RateAdmission, tag: string): Promise<void> {
    const { device } = admission;
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(admission),
          UpdateExpression: `ADD n :minus${device ? ', #dev :minus' : ''} DELETE subs :tags`,
          ConditionExpression: 'contains(subs, :tag)',
          ...(device && { ExpressionAttributeNames: { '#dev': deviceAttribute(device) } }),
          ExpressionAttributeValues: {
            ':minus': { N: '-1' },
            ':tags': { SS: [tag] },
            ':tag': { S: tag },
          },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
}
