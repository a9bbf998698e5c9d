import { createHash, createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { RateLimitPolicy } from '#kernel/survey.ts';

export type RateSubjectKind = 'device' | 'address';

/** One subject's form posts to one survey in one window. */
export interface RateCounter {
  readonly surveyId: string;
  readonly kind: RateSubjectKind;
  /** Salted hash of the device id or network address: the table holds neither. */
  readonly subject: string;
  readonly limit: number;
  /** Start of the window, ISO 8601 UTC. */
  readonly windowStart: string;
  /** End of the window in seconds since the epoch: the counter's TTL. */
  readonly expiresAt: number;
}

/** `repeat`: this submission is already counted on the counter (a double tap, a retry). */
export type HitOutcome = 'counted' | 'repeat' | 'limited';

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

const subjectHash = (salt: Buffer, kind: RateSubjectKind, value: string) =>
  createHmac('sha256', salt).update(`${kind}:${value}`).digest().subarray(0, 16).toString('base64url');

/**
 * The counters a form post must pass, device first: a person tapping again on one phone is refused by the
 * first write. Without a (valid) device cookie only the address counts.
 */
export function rateCountersFor(
  salt: Buffer,
  input: {
    readonly surveyId: string;
    readonly policy: RateLimitPolicy;
    readonly deviceId?: string | undefined;
    readonly sourceIp: string;
    readonly now: Date;
  },
): RateCounter[] {
  const { start, end } = windowOf(input.now, input.policy.windowMinutes);
  const counter = (kind: RateSubjectKind, value: string, limit: number): RateCounter => ({
    surveyId: input.surveyId,
    kind,
    subject: subjectHash(salt, kind, value),
    limit,
    windowStart: start.toISOString(),
    expiresAt: Math.floor(end.getTime() / 1000),
  });
  const counters: RateCounter[] = [];
  if (input.deviceId && DEVICE_ID_PATTERN.test(input.deviceId))
    counters.push(counter('device', input.deviceId, input.policy.perDevice));
  counters.push(counter('address', addressKey(input.sourceIp), input.policy.perAddress));
  return counters;
}

/** What a counter remembers of a submission: a short hash of its id, so a repeat is known and not counted. */
export const submissionTag = (submissionId: string) =>
  createHash('sha256').update(submissionId).digest().subarray(0, 12).toString('base64url');
