import { randomBytes } from 'node:crypto';
import type { RateCounterStore } from '#capture/ports.ts';
import type { HitOutcome, RateCounter } from '#capture/rules/rate-limit.ts';
import type { SigningKeyStore } from '#kernel/ports.ts';

/** In-memory fakes of the signing-key and rate-counter ports, with the semantics of the DynamoDB adapters. */
export class MemorySigningKeyStore implements SigningKeyStore {
  readonly keys = new Map<string, Buffer>();
  reads = 0;
  async get(name: string): Promise<Buffer> {
    this.reads++;
    let key = this.keys.get(name);
    if (!key) {
      key = randomBytes(32);
      this.keys.set(name, key);
    }
    return key;
  }
}

const keyOf = (c: RateCounter) => `${c.surveyId}|${c.kind}|${c.subject}|${c.windowStart}`;

export class MemoryRateCounterStore implements RateCounterStore {
  readonly items = new Map<string, { n: number; subs: Set<string>; expiresAt: number }>();
  writes = 0;

  async hit(counter: RateCounter, tag: string): Promise<HitOutcome> {
    this.writes++;
    const item = this.items.get(keyOf(counter)) ?? { n: 0, subs: new Set<string>(), expiresAt: 0 };
    if (item.subs.has(tag)) return 'repeat';
    if (item.n >= counter.limit) return 'limited';
    item.n++;
    item.subs.add(tag);
    item.expiresAt = counter.expiresAt;
    this.items.set(keyOf(counter), item);
    return 'counted';
  }

  async release(counter: RateCounter, tag: string): Promise<void> {
    const item = this.items.get(keyOf(counter));
    if (!item?.subs.has(tag)) return;
    this.writes++;
    item.n--;
    item.subs.delete(tag);
  }

  /** Count per kind, summed over subjects and windows. */
  total(kind: RateCounter['kind']): number {
    let sum = 0;
    for (const [k, v] of this.items) if (k.split('|')[1] === kind) sum += v.n;
    return sum;
  }
}
