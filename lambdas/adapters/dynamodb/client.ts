import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** One client per container; the SDK reads AWS_ENDPOINT_URL_DYNAMODB locally. */
export function dynamoClient(): DynamoDBClient {
  return new DynamoDBClient({ maxAttempts: 5 });
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}
