import { createHash } from 'node:crypto';
import { SqsError } from './errors.ts';
import type { SqsMessageAttributeValue } from './types.ts';

// Message attributes as SQS checks, sizes, hashes and filters them.

export function checkId(name: string, value: string): void {
  if (!/^[\x21-\x7E]{1,128}$/.test(value)) {
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${value} for parameter ${name} is invalid. Reason: It can only contain alphanumeric characters and punctuation, up to 128 characters.`,
    );
  }
}

export function checkMessageAttributes(attributes: Record<string, SqsMessageAttributeValue>): void {
  const names = Object.keys(attributes);
  if (names.length > 10) {
    throw new SqsError(
      'InvalidParameterValue',
      `Number of message attributes [${names.length}] exceeds the allowed maximum [10].`,
    );
  }
  for (const [name, value] of Object.entries(attributes)) {
    if (
      !/^[A-Za-z0-9_\-.]{1,256}$/.test(name) ||
      /^\.|\.$|\.\./.test(name) ||
      /^(aws|amazon)\./i.test(name)
    ) {
      throw new SqsError('InvalidParameterValue', `Message (user) attribute name '${name}' is invalid.`);
    }
    const type = value?.DataType ?? '';
    if (!/^(String|Number|Binary)(\..{1,250})?$/.test(type)) {
      throw new SqsError(
        'InvalidParameterValue',
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    const binary = type.startsWith('Binary');
    const present = binary ? value.BinaryValue : value.StringValue;
    if (present === undefined || present === '') {
      throw new SqsError(
        'InvalidParameterValue',
        `Message (user) attribute '${name}' must contain a non-empty value of type '${binary ? 'Binary' : type.split('.')[0]}'.`,
      );
    }
    if (type.startsWith('Number') && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.StringValue ?? '')) {
      throw new SqsError(
        'InvalidParameterValue',
        `Can't cast the value of message (user) attribute '${name}' to a number.`,
      );
    }
  }
}

export function attributesSize(attributes: Record<string, SqsMessageAttributeValue>): number {
  let n = 0;
  for (const [name, v] of Object.entries(attributes)) {
    n += Buffer.byteLength(name) + Buffer.byteLength(v?.DataType ?? '');
    if (v?.StringValue !== undefined) n += Buffer.byteLength(v.StringValue);
    if (v?.BinaryValue !== undefined) n += Buffer.from(v.BinaryValue, 'base64').length;
  }
  return n;
}

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** SQS's MD5 of message attributes: names sorted, each field length-prefixed, a transport byte per value. */
export function attributesMd5(attributes: Record<string, SqsMessageAttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of names) {
    const v = attributes[name] as SqsMessageAttributeValue;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(v.DataType, 'utf8'));
    if (v.StringValue !== undefined) {
      parts.push(Buffer.from([1]));
      field(Buffer.from(v.StringValue, 'utf8'));
    } else if (v.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      field(Buffer.from(v.BinaryValue, 'base64'));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

/** The attributes a receive asked for: `All`, `.*`, `prefix.*` (message attributes only) or exact names. */
export function pick<T>(
  attributes: Record<string, T>,
  names: readonly string[],
  prefixes: boolean,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = names.some(
      (n) =>
        n === 'All' ||
        n === name ||
        (prefixes && (n === '.*' || (n.endsWith('.*') && name.startsWith(n.slice(0, -1))))),
    );
    if (wanted) out[name] = value;
  }
  return out;
}
