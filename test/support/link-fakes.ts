import { randomBytes } from 'node:crypto';
import type { RateCounterStore } from '#capture/ports.ts';
import type { HitOutcome, RateAdmission, RateSubjectKind } from '#capture/rules/rate-limit.ts';
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

const keyOf = (a: RateAdmission) => `${a.surveyId}|${a.address}|${a.windowStart}`;

interface Counter {
  n: number;
  subs: Set<string>;
  devices: Map<string, number>;
  expiresAt: number;
}

export class MemoryRateCounterStore implements RateCounterStore {
  readonly items = new Map<string, Counter>();
  writes = 0;

  async hit(admission: RateAdmission, tag: string): Promise<HitOutcome> {
    this.writes++;
    const item = this.items.get(keyOf(admission)) ?? {
      n: 0,
      subs: new Set<string>(),
      devices: new Map<string, number>(),
      expiresAt: 0,
    };
    const { device } = admission;
    if (item.subs.has(tag)) return { status: 'repeat' };
    if (device && (item.devices.get(device) ?? 0) >= admission.perDevice)
      return { status: 'limited', limit: 'device' };
    if (item.n >= admission.perAddress) return { status: 'limited', limit: 'address' };
    item.n++;
    item.subs.add(tag);
    if (device) item.devices.set(device, (item.devices.get(device) ?? 0) + 1);
    item.expiresAt = admission.expiresAt;
    this.items.set(keyOf(admission), item);
    return { status: 'counted' };
  }

  async release(admission: RateAdmission, tag: string): Promise<void> {
    const item = this.items.get(keyOf(admission));
    if (!item?.subs.has(tag)) return;
    this.writes++;
    item.n--;
    item.subs.delete(tag);
    const { device } = admission;
    if (device) item.devices.set(device, (item.devices.get(device) ?? 0) - 1);
  }

  /** Posts counted on addresses, or on devices, summed over addresses and windows. */
  total(kind: RateSubjectKind): number {
    let sum = 0;
    for (const item of this.items.values())
      sum += kind === 'address' ? item.n : [...item.devices.values()].reduce((a, b) => a + b, 0);
    return sum;
  }
}
