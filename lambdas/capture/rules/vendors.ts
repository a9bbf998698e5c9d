import { type FieldError, ValidationError } from '#kernel/errors.ts';
import { isPrototypeKey, LOCALES, type Locale, type Survey, scaleOf } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';
import { attributesSchema, type Interaction, interactionSchema } from './response.ts';
import type { WebhookSource } from './webhook.ts';

/**
 * What a vendor's request says, in Pulso's terms: answers to a submission (the vendor's call, contact or ticket),
 * one question at a time or several, with the place they belong to. docs/vendors.md gives each vendor's body.
 */
export interface VendorAnswers {
  readonly surveyId: string;
  readonly submissionId: string;
  readonly answers: Readonly<Record<string, string | number>>;
  readonly attributes: Readonly<Record<string, string>>;
  readonly locale?: Locale;
  readonly interaction: Interaction;
}

const invalid = (message: string, errors: FieldError[]): never => {
  throw new ValidationError(message, errors);
};

/** Twilio's ids: two capital letters and 32 hex digits (`CA…` a call, `SM…`/`MM…` a message). */
const TWILIO_SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;

const text = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v.trim() === ''
      ? undefined
      : v.trim()
    : typeof v === 'number'
      ? String(v)
      : undefined;

/** `answers.nps=9` and `{ "answers": { "nps": 9 } }` alike: the fields under a prefix, flat or nested. */
function group(fields: Readonly<Record<string, unknown>>, prefix: string): Record<string, unknown> {
  const nested = fields[prefix];
  const out: Record<string, unknown> =
    nested !== null && typeof nested === 'object' && !Array.isArray(nested) ? { ...nested } : {};
  for (const [key, value] of Object.entries(fields))
    if (key.startsWith(`${prefix}.`)) out[key.slice(prefix.length + 1)] = value;
  for (const key of Object.keys(out)) if (isPrototypeKey(key)) delete out[key];
  return out;
}

function localeOf(value: unknown): Locale | undefined {
  const v = text(value)?.toLowerCase();
  if (!v) return undefined;
  const code = LOCALES.find((l) => v === l || v.startsWith(`${l}-`) || v.startsWith(`${l}_`));
  if (code) return code;
  // Zendesk's {{ticket.requester.language}} is the language's name, in English or in itself.
  const names: Record<string, Locale> = {
    english: 'en',
    spanish: 'es',
    español: 'es',
    espanol: 'es',
    portuguese: 'pt',
    português: 'pt',
    portugues: 'pt',
  };
  return Object.entries(names).find(([name]) => v.startsWith(name))?.[1];
}

/**
 * The answers a request carries, `question` with its answer or several as `answers.<question>` (flat or nested),
 * and its place, `attributes.<key>` over `place`. What is wrong goes in `errors`.
 */
function answersIn(
  fields: Readonly<Record<string, unknown>>,
  answer: string | undefined,
  place: Readonly<Record<string, string>>,
  errors: FieldError[],
): { answers: Record<string, string | number>; attributes: Record<string, string> | undefined } {
  const answers: Record<string, string | number> = {};
  for (const [q, a] of Object.entries(group(fields, 'answers')))
    answers[q] = typeof a === 'number' ? a : (text(a) ?? '');
  const question = text(fields.question);
  if (question !== undefined) {
    if (isPrototypeKey(question))
      errors.push({ field: 'question', code: 'unknown_question', message: 'no such question' });
    else if (answer === undefined)
      errors.push({ field: 'answer', code: 'required', message: `the answer to "${question}"` });
    else answers[question] = answer;
  }
  if (Object.keys(answers).length === 0 && errors.length === 0)
    errors.push({
      field: 'question',
      code: 'required',
      message: 'question and answer, or answers.<question>',
    });
  const attributes = attributesSchema.safeParse({ ...place, ...group(fields, 'attributes') });
  if (!attributes.success)
    errors.push({
      field: 'attributes',
      code: 'invalid',
      message: attributes.error.issues[0]?.message ?? 'invalid',
    });
  return { answers, attributes: attributes.success ? attributes.data : undefined };
}

/**
 * A Twilio request (Studio's HTTP Request widget, form or JSON; the URL's query counts as fields too): the call or
 * message (`CallSid`, `MessageSid`), `survey` (else the source's), and `question` with `answer` (or Gather's
 * `Digits` or `SpeechResult`), or several as `answers.<question>`; `lang`; `attributes.<key>` for the place.
 */
export function twilioAnswers(
  fields: Readonly<Record<string, unknown>>,
  source: WebhookSource,
): VendorAnswers {
  const sid = text(fields.CallSid) ?? text(fields.MessageSid);
  const errors: FieldError[] = [];
  if (!sid || !TWILIO_SID.test(sid))
    errors.push({
      field: 'CallSid',
      code: 'required',
      message: 'the call (CallSid) or message (MessageSid) it belongs to',
    });
  const surveyId = text(fields.survey) ?? source.surveyId;
  if (!surveyId)
    errors.push({ field: 'survey', code: 'required', message: 'the survey (or a source with one)' });
  const answer = text(fields.answer) ?? text(fields.Digits) ?? text(fields.SpeechResult);
  const { answers, attributes } = answersIn(fields, answer, {}, errors);
  if (errors.length > 0 || !sid || !surveyId || !attributes)
    return invalid('The Twilio request does not say which answer of which call.', errors);
  const locale = localeOf(fields.lang);
  return {
    surveyId,
    submissionId: `twilio.${sid}`,
    answers,
    attributes,
    ...(locale ? { locale } : {}),
    interaction: interactionOf({ id: sid, vendor: 'twilio' }, interactionFieldsOf(fields)),
  };
}

const zendeskText = z.optional(z.union([z.string().check(z.maxLength(5000)), z.number()]));

/** The JSON a Zendesk trigger sends (docs/vendors.md has the body to paste); placeholders Zendesk leaves empty are "". */
export const zendeskBodySchema = z.object({
  ticket: z.object({
    id: z.union([z.string().check(z.regex(/^\d{1,20}$/, 'the ticket number')), z.int().check(z.positive())]),
    url: zendeskText,
    group: zendeskText,
    assignee: zendeskText,
    brand: zendeskText,
    channel: zendeskText,
    language: zendeskText,
    /** {{ticket.created_at_with_timestamp}} */
    createdAt: zendeskText,
    /** When it was solved, if the trigger fires on solved tickets: {{ticket.updated_at_with_timestamp}}. */
    solvedAt: zendeskText,
  }),
  /** How it went, as Pulso's interaction fields (firstResponseAt, contacts, resolvedOnFirstContact...). */
  interaction: z.optional(z.record(z.string(), z.unknown())),
  satisfaction: z.object({
    /** Legacy `good`/`bad` (Zendesk's wording of it, in the requester's language), or the newer numeric CSAT. */
    rating: z.union([z.string().check(z.maxLength(200)), z.number()]),
    comment: zendeskText,
  }),
  /** The place, as the survey's segment keys: `{ "store": "{{ticket.organization.name}}" }`. */
  attributes: z.optional(z.record(z.string(), z.string())),
});
export type ZendeskBody = z.infer<typeof zendeskBodySchema>;

/**
 * Interaction facts sent as fields (`interaction.openedAt`, `interaction.contacts`...): text from a form or a
 * contact flow's parameters, made the types interactionSchema checks.
 */
function interactionFieldsOf(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const given = group(fields, 'interaction');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    if (value === '' || value === undefined || value === null) continue;
    if (key === 'contacts' && typeof value === 'string' && /^\d+$/.test(value)) out[key] = Number(value);
    else if (key === 'resolvedOnFirstContact' && typeof value === 'string')
      out[key] = value === 'true' ? true : value === 'false' ? false : value;
    else out[key] = value;
  }
  return out;
}

/** The interaction of a vendor's request: its id and vendor, with what the request says of how it went. */
function interactionOf(base: Interaction, extra: Record<string, unknown>): Interaction {
  const parsed = interactionSchema.safeParse({ ...extra, ...base });
  if (parsed.success) return parsed.data;
  return invalid(
    'The interaction does not fit.',
    parsed.error.issues.map((issue) => ({
      field: ['interaction', ...issue.path.map(String)].join('.'),
      code: 'invalid',
      message: issue.message,
    })),
  );
}

/** An ISO time to the minute (Zendesk's `…_with_timestamp`, `2026-12-03T10:35Z`) gets its seconds. */
const toSeconds = (at: string | undefined) =>
  at && /T\d{2}:\d{2}(Z|[+-])/.test(at) ? at.replace(/(T\d{2}:\d{2})/, '$1:00') : at;

/** Zendesk's good and bad, as its placeholders render them in English, Spanish and Portuguese. */
const GOOD = /^(good|bueno|buena|bom|boa|satisf)/i;
const BAD = /^(bad|malo|mala|mau|má|ruim|insatisf|unsatisf)/i;

/**
 * A Zendesk satisfaction rating as an answer: good is the top of the rating question's scale and bad its bottom
 * (a legacy rating has two values; a CSAT of 1 to 5 counts them as 5 and 1), a number is taken as it is. Its
 * comment answers the comment question. The ticket's group, assignee, brand and channel go with it, as does a
 * link back to the ticket.
 */
export function zendeskAnswers(body: ZendeskBody, source: WebhookSource, survey: Survey): VendorAnswers {
  const rating = survey.questions.find((q) =>
    source.ratingQuestion ? q.id === source.ratingQuestion : q.type === 'csat',
  );
  if (!rating || rating.type === 'text')
    return invalid('The survey has no question for a satisfaction rating.', [
      { field: 'satisfaction.rating', code: 'unknown_question', message: "set the source's ratingQuestion" },
    ]);
  const { min, max } = scaleOf(rating);
  const said = body.satisfaction.rating;
  const score =
    typeof said === 'number' || /^\s*\d+\s*$/.test(said)
      ? Number(said)
      : GOOD.test(said.trim())
        ? max
        : BAD.test(said.trim())
          ? min
          : undefined;
  if (score === undefined)
    return invalid('The ticket has no rating yet.', [
      {
        field: 'satisfaction.rating',
        code: 'invalid',
        message: 'good, bad or a number (a trigger for rated tickets only)',
      },
    ]);
  const answers: Record<string, string | number> = { [rating.id]: score };
  const comment = text(body.satisfaction.comment);
  const commentQuestion = survey.questions.find((q) =>
    source.commentQuestion ? q.id === source.commentQuestion : q.type === 'text',
  );
  if (comment && commentQuestion?.type === 'text') answers[commentQuestion.id] = comment;
  const ticket = String(body.ticket.id);
  const described: Record<string, string> = { ...body.attributes, ticket };
  for (const key of ['group', 'assignee', 'brand', 'channel'] as const) {
    const value = text(body.ticket[key]);
    if (value) described[key] = value.slice(0, 200);
  }
  const attributes = attributesSchema.safeParse(described);
  if (!attributes.success)
    return invalid("The ticket's attributes do not fit.", [
      { field: 'attributes', code: 'invalid', message: attributes.error.issues[0]?.message ?? 'invalid' },
    ]);
  // {{ticket.link}} renders without its scheme in some accounts: `acme.zendesk.com/agent/tickets/42`.
  const given = text(body.ticket.url);
  const url = given && !/^https?:\/\//i.test(given) ? `https://${given}` : given;
  const link = url && interactionSchema.shape.url.safeParse(url).success ? { url } : {};
  const channel = text(body.ticket.channel);
  const queue = text(body.ticket.group);
  const agent = text(body.ticket.assignee);
  const openedAt = toSeconds(text(body.ticket.createdAt));
  const resolvedAt = toSeconds(text(body.ticket.solvedAt));
  const locale = localeOf(body.ticket.language);
  const facts: Record<string, unknown> = {
    ...interactionFieldsOf({ interaction: body.interaction ?? {} }),
    ...(channel ? { channel: channel.slice(0, 200) } : {}),
    ...(queue ? { queue: queue.slice(0, 200) } : {}),
    ...(agent ? { agent: agent.slice(0, 200) } : {}),
    ...(openedAt ? { openedAt } : {}),
    ...(resolvedAt ? { resolvedAt } : {}),
  };
  return {
    surveyId: survey.id,
    submissionId: `zendesk.${ticket}`,
    answers,
    attributes: attributes.data,
    ...(locale ? { locale } : {}),
    interaction: interactionOf({ id: ticket, vendor: 'zendesk', ...link }, facts),
  };
}

/** What Pulso reads of the event a contact flow's "Invoke AWS Lambda function" block sends. */
export const connectEventSchema = z.object({
  Details: z.object({
    ContactData: z.object({
      ContactId: z.string().check(z.regex(/^[A-Za-z0-9-]{1,128}$/, 'the contact id')),
      Channel: z.optional(z.string()),
      Queue: z.optional(z.nullable(z.object({ Name: z.optional(z.nullable(z.string())) }))),
      Attributes: z.optional(z.nullable(z.record(z.string(), z.string()))),
      LanguageCode: z.optional(z.nullable(z.string())),
    }),
    Parameters: z.optional(z.nullable(z.record(z.string(), z.string()))),
  }),
});
export type ConnectEvent = z.infer<typeof connectEventSchema>;

/**
 * A contact flow's answer: the block's parameters say `survey`, and `question` with `answer` (after each "Get
 * customer input" block: `$.StoredCustomerInput`), or several as `answers.<question>` (once at the end), with
 * `lang` and `attributes.<key>`. The contact's own attributes that are segment keys of the survey count as its
 * place; the contact id is the submission, its channel and queue the interaction.
 */
export function connectAnswers(event: ConnectEvent, segmentKeys: readonly string[]): VendorAnswers {
  const { ContactData: contact, Parameters } = event.Details;
  const fields = Parameters ?? {};
  const errors: FieldError[] = [];
  const surveyId = text(fields.survey);
  if (!surveyId) errors.push({ field: 'survey', code: 'required', message: "the block's survey parameter" });
  const own = Object.fromEntries(
    Object.entries(contact.Attributes ?? {}).filter(([k, v]) => segmentKeys.includes(k) && v.trim() !== ''),
  );
  const { answers, attributes } = answersIn(fields, text(fields.answer), own, errors);
  if (errors.length > 0 || !surveyId || !attributes)
    return invalid('The contact flow did not say which answer of which survey.', errors);
  const locale = localeOf(fields.lang) ?? localeOf(contact.LanguageCode);
  const channel = text(contact.Channel);
  const queue = text(contact.Queue?.Name ?? undefined);
  return {
    surveyId,
    submissionId: `connect.${contact.ContactId}`,
    answers,
    attributes,
    ...(locale ? { locale } : {}),
    interaction: interactionOf(
      { id: contact.ContactId, vendor: 'connect' },
      {
        ...(channel ? { channel: channel.slice(0, 200) } : {}),
        ...(queue ? { queue: queue.slice(0, 200) } : {}),
        ...interactionFieldsOf(fields),
      },
    ),
  };
}
