import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ValidationError } from '#kernel/errors.ts';

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

/**
 * Where a page of a merged index read starts: below the `gsi1sk` in the cursor. The case list's cursors of releases
 * before its shards (a LastEvaluatedKey, which holds its gsi1sk) still work; anything else is refused, not read from
 * the top.
 */
export function cursorAfter(cursor: string): string {
  const after = decodeCursor(cursor)?.gsi1sk?.S;
  // A sort key holds 1 to 1,024 bytes: anything else is no key of ours, and DynamoDB would refuse the query.
  if (typeof after === 'string' && after.length > 0 && Buffer.byteLength(after) <= 1024) return after;
  throw new ValidationError('The cursor is not one this list gave.', [
    { field: 'cursor', code: 'invalid', message: 'pass the cursor of the previous page as it came' },
  ]);
}
