import { type Locale, localeSchema } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';
import { responseInputSchema } from './response.ts';

/** A `standard` webhook body is the JSON of POST /v1/responses; the submission id may come from `webhook-id`. */
export const webhookResponseSchema = z.partial(responseInputSchema, { submissionId: true });

/** A webhook source name: `typeform`, `kiosk-eu`... */
export const WEBHOOK_SOURCE_PATTERN = /^[a-z0-9-]{1,32}$/;

/**
 * How a source signs what it posts, and so how its body reads:
 * - `standard`: Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), the JSON of POST /v1/responses;
 * - `twilio`: X-Twilio-Signature over the URL set in Twilio's console, Studio's form or JSON (docs/vendors.md);
 * - `zendesk`: X-Zendesk-Webhook-Signature over its timestamp and the body, a trigger's JSON (docs/vendors.md);
 * - `whatsapp`: X-Hub-Signature-256 over the body with the app's secret, the Cloud API's messages, which carry on
 *   a survey conversation (docs/conversations.md);
 * - `sms`: a two-way number of AWS End User Messaging SMS, which carries on a survey conversation by SMS. Its
 *   customers' messages come through the stack's inbound SMS topic (IAM, not a signature), so it takes no webhook
 *   and has no secret (docs/conversations.md).
 */
export const WEBHOOK_KINDS = ['standard', 'twilio', 'zendesk', 'whatsapp', 'sms'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];
/** The kinds that run a survey conversation on a number. */
export type ConversationKind = Extract<WebhookKind, 'whatsapp' | 'sms'>;
export const isConversationKind = (kind: WebhookKind): kind is ConversationKind =>
  kind === 'whatsapp' || kind === 'sms';

/**
 * A number a survey conversation runs on, as a campaign's form offers it (`GET /v1/numbers`): its source, channel,
 * the number (a WhatsApp number's id at Meta; the two-way SMS number) and, for WhatsApp, the languages its
 * templates open in. Never a secret or a token.
 */
export interface ConversationNumber {
  readonly source: string;
  readonly channel: ConversationKind;
  readonly number: string;
  readonly surveyId?: string;
  readonly languages?: readonly Locale[];
}

/** The numbers of the sources that run conversations, by source name. A source without its number has none. */
export function conversationNumbersOf(sources: readonly WebhookSource[]): ConversationNumber[] {
  return sources
    .flatMap((s): ConversationNumber[] => {
      if (!isConversationKind(s.kind)) return [];
      const number = s.kind === 'sms' ? s.phoneNumber : s.phoneNumberId;
      if (number === undefined) return [];
      const languages = s.templates ? (Object.keys(s.templates) as Locale[]).sort() : undefined;
      return [
        {
          source: s.name,
          channel: s.kind,
          number,
          ...(s.surveyId === undefined ? {} : { surveyId: s.surveyId }),
          ...(s.kind === 'whatsapp' && languages ? { languages } : {}),
        },
      ];
    })
    .sort((a, b) => a.source.localeCompare(b.source));
}

/** What each kind's secret looks like: Pulso makes a standard one; a vendor's comes from its console. */
const SECRET_FORMS: Record<Exclude<WebhookKind, 'sms'>, { pattern: RegExp; what: string }> = {
  standard: { pattern: /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, what: 'whsec_ followed by base64' },
  twilio: { pattern: /^[A-Za-z0-9]{32}$/, what: "the account's auth token: 32 letters and digits" },
  zendesk: {
    pattern: /^[A-Za-z0-9+/_=-]{16,128}$/,
    what: "the webhook's signing secret, as Zendesk shows it",
  },
  whatsapp: { pattern: /^[0-9a-f]{32}$/, what: "the Meta app's secret: 32 hex digits" },
};

/** Why a secret does not fit its source's kind; undefined when it fits. */
export function secretProblem(kind: WebhookKind, secret: string): string | undefined {
  if (kind === 'sms') return 'an sms source has no secret: its messages come through the inbound SMS topic';
  const form = SECRET_FORMS[kind];
  return form.pattern.test(secret) ? undefined : `expected ${form.what}`;
}

/** Where Pulso sends WhatsApp messages unless a source says otherwise (the Graph API, with its version). */
export const DEFAULT_GRAPH_API_URL = 'https://graph.facebook.com/v21.0/';
/** Minutes of silence after which a conversation ends, unless its source says otherwise. */
export const DEFAULT_QUIET_MINUTES = 60;

/** Twilio signs the URL it calls; Zendesk's signature has a timestamp Pulso keeps within this window. */
export const ZENDESK_REPLAY_WINDOW_SECONDS = 300;

/** A secret of a source: the newest signs from now on; the one before keeps working until it retires. */
export interface WebhookSecret {
  readonly value: string;
  readonly addedAt: string;
  /** While rotating: the older secret keeps working until then. */
  readonly retiresAt?: string;
}

/** A vendor that posts answers, as the team named it. Its secrets never leave Pulso once set. */
export interface WebhookSource {
  readonly name: string;
  readonly kind: WebhookKind;
  /** twilio: the URL set in Twilio's console, which is what Twilio signs (not what API Gateway sees). */
  readonly url?: string;
  /** The survey its answers go to when a request names none (a Zendesk trigger never does). */
  readonly surveyId?: string;
  /** zendesk: the question a satisfaction rating answers (else the survey's first CSAT question). */
  readonly ratingQuestion?: string;
  /** zendesk: the question the rating's comment answers (else the survey's first text question). */
  readonly commentQuestion?: string;
  /** whatsapp: the business phone number's id at Meta, which Pulso sends from and its customers write to. */
  readonly phoneNumberId?: string;
  /** whatsapp: what Meta's verification request must carry (`hub.verify_token`). Never shown again. */
  readonly verifyToken?: string;
  /** whatsapp: the access token Pulso sends messages with (a system user's). Never shown again. */
  readonly accessToken?: string;
  /** whatsapp: the Graph API's base URL, with its version. @default 'https://graph.facebook.com/v21.0/' */
  readonly graphApiUrl?: string;
  /** whatsapp: the approved template that opens a conversation, per language (name and Meta's language code). */
  readonly templates?: Partial<Record<Locale, { readonly name: string; readonly language: string }>>;
  /** sms: the two-way number, E.164, which Pulso sends from and its customers text. */
  readonly phoneNumber?: string;
  /** whatsapp, sms: minutes of silence after which a conversation ends, keeping what was answered. @default 60 */
  readonly quietMinutes?: number;
  readonly secrets: readonly WebhookSecret[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

const questionId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[a-zA-Z0-9_-]+$/));

/** `PUT /v1/webhooks/{source}`: makes a source, or changes its settings (never its kind or its secrets). */
export const webhookSourceInputSchema = z
  .strictObject({
    kind: z.enum(WEBHOOK_KINDS),
    url: z.optional(
      z
        .url({ protocol: /^https?$/ })
        .check(
          z.maxLength(500),
          z.describe("twilio: the URL exactly as set in Twilio's console (Twilio signs it)"),
        ),
    ),
    surveyId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    ratingQuestion: z.optional(questionId),
    commentQuestion: z.optional(questionId),
    phoneNumberId: z.optional(z.string().check(z.regex(/^\d{5,20}$/, 'the phone number id, digits'))),
    phoneNumber: z.optional(
      z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, 'the two-way number, E.164: + and 7 to 15 digits')),
    ),
    verifyToken: z.optional(z.string().check(z.minLength(8), z.maxLength(128), z.regex(/^[\x21-\x7e]+$/))),
    accessToken: z.optional(z.string().check(z.minLength(16), z.maxLength(1024), z.regex(/^[\x21-\x7e]+$/))),
    graphApiUrl: z.optional(z.url({ protocol: /^https?$/ }).check(z.maxLength(200))),
    templates: z.optional(
      z.partialRecord(
        localeSchema,
        z.strictObject({
          name: z
            .string()
            .check(z.regex(/^[a-z0-9_]{1,512}$/, "a template's name: lower case, digits and _")),
          language: z
            .string()
            .check(z.regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "Meta's language code: es, pt_BR, en_US")),
        }),
      ),
    ),
    quietMinutes: z.optional(z.int().check(z.minimum(5), z.maximum(7 * 24 * 60))),
    secret: z.optional(
      z
        .string()
        .check(
          z.maxLength(200),
          z.describe(
            "A new source's first secret: twilio, the account's auth token; zendesk, the webhook's signing " +
              'secret; standard, left out (Pulso makes one and answers it once).',
          ),
        ),
    ),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.kind === 'twilio' && input.url === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['url'],
          message: "a twilio source needs the URL set in Twilio's console",
        });
      if (input.kind === 'whatsapp')
        for (const key of ['phoneNumberId', 'verifyToken', 'accessToken', 'surveyId', 'templates'] as const)
          if (input[key] === undefined)
            ctx.addIssue({ code: 'custom', path: [key], message: `a whatsapp source needs its ${key}` });
      if (input.kind === 'sms')
        for (const key of ['phoneNumber', 'surveyId'] as const)
          if (input[key] === undefined)
            ctx.addIssue({ code: 'custom', path: [key], message: `an sms source needs its ${key}` });
      if (input.kind === 'zendesk' && input.surveyId === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['surveyId'],
          message: 'a zendesk source needs the survey its ratings go to',
        });
      const problem = input.secret === undefined ? undefined : secretProblem(input.kind, input.secret);
      if (problem) ctx.addIssue({ code: 'custom', path: ['secret'], message: problem });
    }),
  );
export type WebhookSourceInput = z.infer<typeof webhookSourceInputSchema>;

/** `POST /v1/webhooks/{source}/secrets`: a new secret; the current one keeps working for a while. */
export const webhookRotationSchema = z.strictObject({
  secret: z.optional(
    z
      .string()
      .check(
        z.maxLength(200),
        z.describe("The vendor's new secret; left out for standard (Pulso makes one)."),
      ),
  ),
  previousValidForHours: z._default(
    z
      .int()
      .check(
        z.minimum(0),
        z.maximum(168),
        z.describe('How long the secret it replaces keeps working (0 to 168 hours; 24 unless told).'),
      ),
    24,
  ),
});

/** `PUT /v1/webhooks/{source}/secret` (the older form, standard sources): one secret, or two while rotating. */
export const webhookSecretsSchema = z.strictObject({
  /** Standard Webhooks secret: `whsec_` + base64 of 24 to 64 random bytes. */
  secrets: z
    .array(z.string().check(z.regex(SECRET_FORMS.standard.pattern, 'expected whsec_ followed by base64')))
    .check(z.minLength(1), z.maxLength(2)),
});

/** The secrets that sign now: those not retired. */
export function liveSecrets(source: WebhookSource, now: Date): string[] {
  const at = now.toISOString();
  return source.secrets.filter((s) => s.retiresAt === undefined || s.retiresAt > at).map((s) => s.value);
}

/** A source as the admin API shows it: everything but the secrets' values and its tokens. */
export function sourceView(source: WebhookSource) {
  const { secrets, accessToken: _a, verifyToken: _v, ...rest } = source;
  return {
    ...rest,
    path: `/v1/webhooks/${source.name}`,
    secrets: secrets.map(({ addedAt, retiresAt }) => ({ addedAt, ...(retiresAt ? { retiresAt } : {}) })),
  };
}

/** Rotation: the new secret first; the current ones retire at `retiresAt` (or keep theirs, if sooner). */
export function rotated(
  source: WebhookSource,
  secret: string,
  now: Date,
  previousValidForHours: number,
): WebhookSource {
  const at = now.toISOString();
  const retiresAt = new Date(now.getTime() + previousValidForHours * 3_600_000).toISOString();
  const previous = source.secrets
    .filter((s) => s.retiresAt === undefined || s.retiresAt > at)
    .map((s) => ({ ...s, retiresAt: s.retiresAt && s.retiresAt < retiresAt ? s.retiresAt : retiresAt }))
    .filter((s) => s.retiresAt > at);
  // Two valid at most while rotating: the new one and the newest before it.
  return { ...source, secrets: [{ value: secret, addedAt: at }, ...previous.slice(0, 1)], updatedAt: at };
}
