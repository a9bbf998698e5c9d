import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** Opaque page cursors, base64url JSON: a Query's LastEvaluatedKey, or where a merged read stopped (cases.ts). */
export const encodeCursor = (k: Record<string, AttributeValue>) =>
  Buffer.from(JSON.stringify(k)).toString('base64url');

/** undefined for a cursor that is not one of ours (the read starts from the beginning). */
export function decodeCursor(cursor: string): Record<string, AttributeValue> | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
