import { createHash, createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { RateLimitPolicy } from '#kernel/survey.ts';

export type RateSubjectKind = 'device' | 'address';

/**
 * A form post's admission to one survey in one window: one counter per network address that also counts each
 * device posting from it, so both limits are checked and counted by one write. The device limit is thus per
 * device per address: a phone that moves from a shop's Wi-Fi to mobile data starts again on the new address,
 * which has its own address quota anyway. The address limit is the bound on what one network can post.
 */
export interface RateAdmission {
  readonly surveyId: string;
  /** Salted hash of the network address (IPv4, or the IPv6 /64): the table holds neither it nor the address. */
  readonly address: string;
  /** Short salted hash of the device id, when the post carries a valid device cookie; else only the address counts. */
  readonly device?: string | undefined;
  readonly perAddress: number;
  readonly perDevice: number;
  /** Start of the window, ISO 8601 UTC. */
  readonly windowStart: string;
  /** End of the window in seconds since the epoch: the counter's TTL. */
  readonly expiresAt: number;
}

/**
 * `repeat`: this submission is already counted (a double tap, a retry). `limited`: over the limit of the device
 * or of the address, nothing counted.
 */
export type HitOutcome =
  | { readonly status: 'counted' | 'repeat' }
  | { readonly status: 'limited'; readonly limit: RateSubjectKind };

/** Fixed windows aligned on the epoch: a new counter item per window, so expired items never need reading. */
export function windowOf(now: Date, windowMinutes: number): { start: Date; end: Date } {
  const size = windowMinutes * 60_000;
  const start = Math.floor(now.getTime() / size) * size;
  return { start: new Date(start), end: new Date(start + size) };
}

/**
 * The address a limit applies to: IPv4 as is; IPv6 by its /64 prefix, since one phone or home gets a whole
 * /64 and can pick a new address in it for every request; IPv4-mapped IPv6 as the IPv4 address.
 */
export function addressKey(sourceIp: string): string {
  const ip = sourceIp.trim().toLowerCase().split('%')[0] ?? '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (isIP(ip) !== 6) return ip;
  const [left = '', right] = ip.split('::');
  const head = left === '' ? [] : left.split(':');
  const tail = right === undefined || right === '' ? [] : right.split(':');
  const groups = [...head, ...Array(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Device ids are ours (a random cookie); anything else in the cookie is ignored. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

const subjectHash = (salt: Buffer, kind: RateSubjectKind, value: string, bytes: number) =>
  createHmac('sha256', salt).update(`${kind}:${value}`).digest().subarray(0, bytes).toString('base64url');

/**
 * The admission a form post must pass. Addresses get 16 bytes of hash, since they key items across the table;
 * devices 8 (11 characters), since a device hash only has to differ from the others counted on one address in one
 * window: at 30 devices the chance of two colliding is about 2.4e-17, and a collision only makes two devices
 * share a count. Without a (valid) device cookie only the address counts.
 */
export function rateAdmissionFor(
  salt: Buffer,
  input: {
    readonly surveyId: string;
    readonly policy: RateLimitPolicy;
    readonly deviceId?: string | undefined;
    readonly sourceIp: string;
    readonly now: Date;
  },
): RateAdmission {
  const { start, end } = windowOf(input.now, input.policy.windowMinutes);
  const device = input.deviceId && DEVICE_ID_PATTERN.test(input.deviceId) ? input.deviceId : undefined;
  return {
    surveyId: input.surveyId,
    address: subjectHash(salt, 'address', addressKey(input.sourceIp), 16),
    device: device && subjectHash(salt, 'device', device, 8),
    perAddress: input.policy.perAddress,
    perDevice: input.policy.perDevice,
    windowStart: start.toISOString(),
    expiresAt: Math.floor(end.getTime() / 1000),
  };
}

/**
 * What a counter remembers of a submission: a short hash of its id, so a repeat is known and not counted. 9 bytes
 * (12 characters) keep a full counter under 1 KB; a tag only has to differ from the others on one counter (30 at
 * the default limit: a collision about once in 1e19 full counters, and it would let one submission through
 * uncounted).
 */
export const submissionTag = (submissionId: string) =>
  createHash('sha256').update(submissionId).digest().subarray(0, 9).toString('base64url');
