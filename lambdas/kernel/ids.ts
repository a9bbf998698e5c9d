import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` letters and digits, for ids that go into links and tags (12 of them carry 62 bits of randomness). */
export const randomId = (length: number): string =>
  Array.from(randomBytes(length), (b) => ALPHABET[b % ALPHABET.length]).join('');
