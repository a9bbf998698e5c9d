import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { FieldError } from '#kernel/errors.ts';
import { type Locale, localeSchema } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';

/** Someone a team may invite. Personal data (email, phone) lives here only; responses carry the contact id. */
export interface Contact {
  readonly contactId: string;
  readonly email?: string;
  /** E.164, e.g. +5511987654321. */
  readonly phone?: string;
  readonly locale?: Locale;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface RowError extends FieldError {
  /** 1-based line of the CSV file (the header is line 1). */
  readonly line: number;
}

const RESERVED = new Set(['email', 'phone', 'locale']);
const emailSchema = z.email().check(z.maxLength(254));
const phoneSchema = z
  .string()
  .check(z.regex(/^\+[1-9]\d{6,14}$/, 'use the international format, e.g. +5511987654321'));
const attributeKey = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/;
const attributeValue = /^[^\p{Cc}]{1,200}$/u;

/** Stable id from the email (or else the phone), so importing the same person twice updates one contact. */
export function contactIdOf(email: string | undefined, phone: string | undefined): string {
  const basis = email ? `email:${email.toLowerCase()}` : `phone:${phone}`;
  return createHash('sha256').update(basis).digest('base64url').slice(0, 22);
}

export function validateContactRow(
  row: Readonly<Record<string, string>>,
  line: number,
): { contact?: Contact; errors: RowError[] } {
  const errors: RowError[] = [];
  const email = row.email?.trim() || undefined;
  const phone = row.phone?.replace(/[\s().-]/g, '') || undefined;
  const locale = row.locale?.trim().toLowerCase().slice(0, 2) || undefined;
  if (!email && !phone)
    errors.push({ line, field: 'email', code: 'required', message: 'an email or a phone is needed' });
  if (email && !emailSchema.safeParse(email).success)
    errors.push({ line, field: 'email', code: 'invalid', message: 'not an email address' });
  if (phone) {
    const parsed = phoneSchema.safeParse(phone);
    if (!parsed.success)
      errors.push({
        line,
        field: 'phone',
        code: 'invalid',
        message: parsed.error.issues[0]?.message ?? 'not a phone number',
      });
  }
  if (locale && !localeSchema.safeParse(locale).success)
    errors.push({ line, field: 'locale', code: 'invalid', message: 'use en, es or pt' });
  const attributes: Record<string, string> = {};
  for (const [key, raw] of Object.entries(row)) {
    if (RESERVED.has(key) || raw === undefined || raw.trim() === '') continue;
    if (!attributeKey.test(key)) {
      errors.push({
        line,
        field: key,
        code: 'invalid_key',
        message: 'column names: letters, digits, "-" and "_"',
      });
    } else if (!attributeValue.test(raw.trim())) {
      errors.push({ line, field: key, code: 'invalid', message: 'at most 200 printable characters' });
    } else {
      attributes[key] = raw.trim();
    }
  }
  if (errors.length > 0) return { errors };
  return {
    contact: {
      contactId: contactIdOf(email, phone),
      ...(email ? { email: email.toLowerCase() } : {}),
      ...(phone ? { phone } : {}),
      ...(locale ? { locale: locale as Locale } : {}),
      attributes,
    },
    errors,
  };
}

export interface ContactImport {
  readonly contacts: Contact[];
  readonly errors: RowError[];
  readonly rows: number;
}

/**
 * Reads a CSV with a header row (`email`, `phone`, `locale`, and any attribute columns). Bad rows are reported by
 * line; good rows are kept. A row repeating an earlier contact replaces it.
 */
export function parseContactsCsv(text: string): ContactImport {
  const errors: RowError[] = [];
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      info: true,
      relax_column_count: false,
    });
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    return {
      contacts: [],
      errors: [{ line, field: '(file)', code: 'invalid_csv', message: (err as Error).message }],
      rows: 0,
    };
  }
  const byId = new Map<string, Contact>();
  for (const { record, info } of records) {
    const result = validateContactRow(record, info.lines);
    errors.push(...result.errors);
    if (result.contact) byId.set(result.contact.contactId, result.contact);
  }
  return { contacts: [...byId.values()], errors, rows: records.length };
}

/** Rows as the import API receives them from the CLI: the fields of each row and its line in the original file. */
export function validateContactRows(
  rows: ReadonlyArray<{ line: number; fields: Readonly<Record<string, string>> }>,
): ContactImport {
  const errors: RowError[] = [];
  const byId = new Map<string, Contact>();
  for (const { line, fields } of rows) {
    const lowered = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [k.trim().toLowerCase(), String(v)]),
    );
    const result = validateContactRow(lowered, line);
    errors.push(...result.errors);
    if (result.contact) byId.set(result.contact.contactId, result.contact);
  }
  return { contacts: [...byId.values()], errors, rows: rows.length };
}

/** An import request carries a chunk of a file (the CLI sends 500 rows at a time); 2 MB is plenty. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** `POST /v1/contacts/import?keepDays=`: how long the imported personal data is kept. */
export const contactImportQuery = z.object({
  keepDays: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(3650))),
});

/** The JSON form of an import: the rows of a file with their line numbers. */
export const contactRowsSchema = z.strictObject({
  rows: z
    .array(
      z.object({
        line: z.int().check(z.gte(1)),
        fields: z.record(z.string().check(z.maxLength(64)), z.string().check(z.maxLength(1000))),
      }),
    )
    .check(z.maxLength(5000)),
});

/**
 * `PUT /v1/contacts/{contactId}/consent`: `{ "contact": false }` marks a contact not to be contacted (no campaign,
 * reminder or follow-up reaches them); `{ "contact": true }` takes that mark back, never what the customer or their
 * mailbox said (an unsubscribe, a bounce, a complaint).
 */
export const consentSchema = z.strictObject({ contact: z.boolean() });
