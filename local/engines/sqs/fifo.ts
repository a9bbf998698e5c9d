import { createHash } from 'node:crypto';
import { err } from './errors.ts';
import { checkId } from './message-attributes.ts';
import type { Queue } from './store.ts';
import type { SqsSendInput } from './types.ts';

// FIFO queues: message groups, deduplication within five minutes, sequence numbers.

const FIFO_DEDUP_MS = 5 * 60 * 1000;

/** What a send to a FIFO queue carries besides the message, or the first send's answer for a duplicate. */
export type FifoSend =
  | {
      readonly duplicate: false;
      readonly dedupId: string;
      readonly dedupKey: string;
      readonly sequenceNumber: string;
    }
  | { readonly duplicate: true; readonly messageId: string; readonly sequenceNumber?: string };

/** Checks a send's group and deduplication id; a duplicate within five minutes answers the first send. */
export function fifoSend(q: Queue, input: SqsSendInput, now: number): FifoSend {
  if (!input.messageGroupId) throw err.missing('MessageGroupId');
  checkId('MessageGroupId', input.messageGroupId);
  if (!input.messageDeduplicationId && q.attributes.ContentBasedDeduplication !== 'true') {
    throw err.invalid(
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
  }
  const dedupId = input.messageDeduplicationId ?? createHash('sha256').update(input.body).digest('hex');
  checkId('MessageDeduplicationId', dedupId);
  const dedupKey =
    q.attributes.DeduplicationScope === 'messageGroup' ? `${input.messageGroupId}\n${dedupId}` : dedupId;
  const seen = q.dedup.get(dedupKey);
  if (seen && seen.expires > now) {
    return { duplicate: true, messageId: seen.messageId, sequenceNumber: seen.sequenceNumber };
  }
  q.sequence += 1n;
  return { duplicate: false, dedupId, dedupKey, sequenceNumber: q.sequence.toString().padStart(20, '0') };
}

/** Remembers a send for five minutes, so that a duplicate of it is dropped. */
export function rememberSend(q: Queue, send: FifoSend, messageId: string, now: number): void {
  if (send.duplicate) return;
  q.dedup.set(send.dedupKey, {
    messageId,
    sequenceNumber: send.sequenceNumber,
    expires: now + FIFO_DEDUP_MS,
  });
}
