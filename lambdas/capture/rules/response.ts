import { createHash } from 'node:crypto';
import type { Analysis } from '#kernel/analysis.ts';
import { type FieldError, ValidationError } from '#kernel/errors.ts';
import {
  isPrototypeKey,
  type Locale,
  localeSchema,
  PROTOTYPE_KEY_MESSAGE,
  type Survey,
  scaleOf,
} from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';

export const submissionIdSchema = z
  .string()
  .check(
    z.minLength(8, 'at least 8 characters'),
    z.maxLength(128),
    z.regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'),
  );

/** A campaign id has the syntax of a survey id. */
export const campaignIdSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(
      /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
      'letters, digits, "-" and "_" only, starting with a letter or digit',
    ),
  );

const attributeKey = z.string().check(
  z.minLength(1),
  z.maxLength(64),
  z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, 'letters, digits, "-" and "_" only'),
  z.refine((k) => !isPrototypeKey(k), PROTOTYPE_KEY_MESSAGE),
);

export const attributesSchema = z._default(
  z
    .record(
      attributeKey,
      // Values become segment names in keys and pages: printable text only.
      z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[^\p{Cc}]+$/u, 'no control characters')),
    )
    .check(
      z.refine((a) => Object.keys(a).length <= 20, 'at most 20 attributes'),
      z.describe(
        'Segment attributes (region, store, channel...), at most 20. A key is letters, digits, "-" and "_"; a key ' +
          'spelled like a property of every JavaScript object (constructor, toString, valueOf, hasOwnProperty, ' +
          '__proto__...) is refused with a 400 field error, nothing stored.',
      ),
    ),
  {},
);

const instant = z.iso.datetime({ offset: true });
const label = z
  .string()
  .check(z.minLength(1), z.maxLength(200), z.regex(/^[^\p{Cc}]+$/u, 'no control characters'));

/**
 * The interaction a response is about (a call, a chat, a ticket), as its vendor knows it: how it was handled,
 * next to what the customer said of it.
 */
export const interactionSchema = z
  .strictObject({
    /** The vendor's id of it: a ticket number, a call or contact id. */
    id: z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[^\p{Cc}]+$/u, 'no control characters')),
    /** Who handled it: `zendesk`, `twilio`, `connect`, or the team's own name for a system. */
    vendor: z.optional(z.string().check(z.minLength(1), z.maxLength(32), z.regex(/^[a-z0-9-]+$/))),
    /** Where a CX team opens it in the vendor's tool (https only): a case links back to it. */
    url: z.optional(z.url({ protocol: /^https$/ }).check(z.maxLength(500))),
    channel: z.optional(label),
    queue: z.optional(label),
    agent: z.optional(label),
    openedAt: z.optional(instant),
    firstResponseAt: z.optional(instant),
    resolvedAt: z.optional(instant),
    /** How many times the customer had to get in touch about it. */
    contacts: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
    resolvedOnFirstContact: z.optional(z.boolean()),
  })
  .check(
    z.superRefine((i, ctx) => {
      // A service time is from the opening on: a response or a resolution before it is a mistake in the data.
      for (const key of ['firstResponseAt', 'resolvedAt'] as const) {
        const at = i[key];
        if (at !== undefined && i.openedAt !== undefined && Date.parse(at) < Date.parse(i.openedAt))
          ctx.addIssue({ code: 'custom', path: [key], message: 'must not be before openedAt' });
      }
    }),
  );
export type Interaction = z.infer<typeof interactionSchema>;

/** `POST /v1/responses`: the public JSON contract for apps, kiosks and webhook bodies. */
export const responseInputSchema = z.strictObject({
  surveyId: z.string().check(z.minLength(1), z.maxLength(64)),
  submissionId: submissionIdSchema,
  answers: z
    .record(
      z.string().check(
        z.minLength(1),
        z.maxLength(64),
        z.refine((k) => !isPrototypeKey(k), PROTOTYPE_KEY_MESSAGE),
      ),
      z.union([z.number(), z.string().check(z.maxLength(5000))]),
    )
    .check(
      z.refine((a) => Object.keys(a).length <= 30, 'at most 30 answers'),
      z.describe(
        'Answers by question id, at most 30. A key that is not a question id of the survey, such as a property of ' +
          'every JavaScript object (constructor, toString, valueOf, hasOwnProperty, __proto__...), is refused with ' +
          'a 400 field error, nothing stored.',
      ),
    ),
  attributes: attributesSchema,
  locale: z.optional(localeSchema),
  interaction: z.optional(interactionSchema),
});
export type ResponseInput = z.input<typeof responseInputSchema>;

export type Answer = number | string;

/** Where a response came in. */
export type CaptureChannel = 'web' | 'api' | `webhook:${string}`;

/** A stored response. Personal data: the comment; it expires with the response (`retentionDays`). */
export interface ResponseRecord {
  readonly surveyId: string;
  readonly submissionId: string;
  readonly answers: Readonly<Record<string, Answer>>;
  readonly attributes: Readonly<Record<string, string>>;
  readonly locale: Locale;
  readonly capturedVia: CaptureChannel;
  /** ISO 8601, UTC. */
  readonly receivedAt: string;
  /** Hash of what the customer said, so a repeat can be told from a different answer under the same id. */
  readonly contentHash: string;
  /** The campaign whose invitation link it came through (never taken from the public JSON contract). */
  readonly campaignId?: string;
  /** The call, chat or ticket it is about, when its vendor said. */
  readonly interaction?: Interaction;
  /** What its comment says (sentiment, themes, language), read when the comment came in. */
  readonly analysis?: Analysis;
}

/**
 * The comment of a response to read: its text answers in the survey's order, one paragraph each, with the
 * questions they answer; undefined without one.
 */
export function commentOf(
  survey: Pick<Survey, 'questions'>,
  answers: Readonly<Record<string, Answer>>,
): { readonly text: string; readonly questions: readonly string[] } | undefined {
  const texts = survey.questions.flatMap((q) => {
    const answer = answers[q.id];
    return q.type === 'text' && typeof answer === 'string' && answer.trim() !== ''
      ? [[q.id, answer] as const]
      : [];
  });
  if (texts.length === 0) return undefined;
  return { text: texts.map(([, a]) => a).join('\n\n'), questions: texts.map(([q]) => q) };
}

/** A response carries a comment when it answers a text question (empty texts are not stored). */
export const hasComment = (r: Pick<ResponseRecord, 'answers'>): boolean =>
  Object.values(r.answers).some((a) => typeof a === 'string');

/**
 * Checks answers against the survey: known questions, integers within each scale, required ones present (in a
 * complete submission: the page, the JSON API), texts within their length. Numeric strings are accepted for scores
 * (form posts send strings).
 */
export function validateAnswers(
  survey: Survey,
  raw: Readonly<Record<string, unknown>>,
  { complete = true }: { readonly complete?: boolean } = {},
): Record<string, Answer> {
  const errors: FieldError[] = [];
  const answers: Record<string, Answer> = {};
  const byId = new Map(survey.questions.map((q) => [q.id, q]));
  for (const key of Object.keys(raw)) {
    if (!byId.has(key))
      errors.push({ field: `answers.${key}`, code: 'unknown_question', message: 'no such question' });
  }
  for (const q of survey.questions) {
    const value = raw[q.id];
    const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    if (empty) {
      // A channel that asks one question at a time (an IVR call) keeps what was answered when the rest never comes.
      if (q.required && complete)
        errors.push({ field: `answers.${q.id}`, code: 'required', message: 'an answer is required' });
      continue;
    }
    if (q.type === 'text') {
      if (typeof value !== 'string') {
        errors.push({ field: `answers.${q.id}`, code: 'invalid_type', message: 'must be text' });
      } else if (value.length > q.maxLength) {
        errors.push({
          field: `answers.${q.id}`,
          code: 'too_long',
          message: `at most ${q.maxLength} characters`,
        });
      } else {
        answers[q.id] = value.trim();
      }
      continue;
    }
    const n =
      typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
    const { min, max } = scaleOf(q);
    if (!Number.isInteger(n)) {
      errors.push({
        field: `answers.${q.id}`,
        code: 'invalid_type',
        message: `must be a whole number ${min}-${max}`,
      });
    } else if (n < min || n > max) {
      errors.push({
        field: `answers.${q.id}`,
        code: 'out_of_range',
        message: `must be between ${min} and ${max}`,
      });
    } else {
      answers[q.id] = n;
    }
  }
  if (errors.length > 0) throw new ValidationError('The answers do not fit the survey.', errors);
  if (Object.keys(answers).length === 0) {
    throw new ValidationError('The response has no answers.', [
      { field: 'answers', code: 'required', message: 'answer at least one question' },
    ]);
  }
  return answers;
}

export function contentHashOf(
  answers: Readonly<Record<string, Answer>>,
  attributes: Readonly<Record<string, string>>,
) {
  const canonical = JSON.stringify([
    Object.entries(answers).sort(([a], [b]) => a.localeCompare(b)),
    Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)),
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

export interface BuildResponseInput {
  readonly survey: Survey;
  readonly submissionId: string;
  readonly answers: Readonly<Record<string, unknown>>;
  readonly attributes: Readonly<Record<string, string>>;
  readonly locale?: Locale | undefined;
  readonly capturedVia: CaptureChannel;
  readonly now: Date;
  /** Set when the response came through an invitation of this campaign. */
  readonly campaignId?: string | undefined;
  /**
   * False for a channel that asks one question at a time and sends each answer as it comes (an IVR call, a
   * contact flow): required questions are not asked of it. True (the default) for the page and the JSON API.
   */
  readonly complete?: boolean;
  readonly interaction?: Interaction | undefined;
}

/** Validates and builds the record to store. Throws ValidationError with field errors. */
export function buildResponse(input: BuildResponseInput): ResponseRecord {
  const answers = validateAnswers(input.survey, input.answers, { complete: input.complete ?? true });
  const locale =
    input.locale && input.survey.locales.includes(input.locale) ? input.locale : input.survey.defaultLocale;
  return {
    surveyId: input.survey.id,
    submissionId: input.submissionId,
    answers,
    attributes: { ...input.attributes },
    locale,
    capturedVia: input.capturedVia,
    receivedAt: input.now.toISOString(),
    contentHash: contentHashOf(answers, input.attributes),
    ...(input.campaignId !== undefined ? { campaignId: input.campaignId } : {}),
    ...(input.interaction !== undefined ? { interaction: input.interaction } : {}),
  };
}

/** What a recorded response answers with: 201 the first time, 200 with the same body for a repeat. */
export const receiptSchema = z.object({
  surveyId: z.string(),
  submissionId: z.string(),
  receivedAt: z.iso.datetime(),
  status: z.enum(['created', 'duplicate']),
  /** For answers sent one question at a time: the questions this request added (none for a repeat). */
  added: z.optional(z.array(z.string())),
});
