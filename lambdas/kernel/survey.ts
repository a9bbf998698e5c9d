import { SURVEY_DEFAULTS as D, defaultAlertRules } from './survey-defaults.ts';
import * as z from './zod.ts';

/**
 * Ballot-stuffing limits on the survey page's form posts (open links and QR codes): so many responses per
 * device and per network address per survey in a fixed time window. The JSON API (apps, kiosks) is not limited
 * this way. Counters live in the table and expire with their window.
 */
export interface RateLimitPolicy {
  readonly perDevice: number;
  readonly perAddress: number;
  readonly windowMinutes: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitPolicy = D.rateLimit;

/** Longest window; the device cookie lives this long. */
export const MAX_WINDOW_MINUTES = 30 * 24 * 60;

/** Locales a survey page, email and error message can speak. */
export const LOCALES = ['en', 'es', 'pt'] as const;
export type Locale = (typeof LOCALES)[number];
export const localeSchema = z.enum(LOCALES);

/**
 * Names every JavaScript object inherits (`constructor`, `toString`, `valueOf`, `hasOwnProperty`, `__proto__`...).
 * They are never ids, question ids (keys of answers) or segment keys (keys of attributes): a plain object cannot
 * hold them safely (assigning `__proto__` drops it; `constructor` breaks the DynamoDB marshaller).
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
export const isPrototypeKey = (key: string): boolean => PROTOTYPE_KEYS.has(key);
export const PROTOTYPE_KEY_MESSAGE =
  'a name every JavaScript object has (constructor, toString, __proto__...)';

const idSchema = z.string().check(
  z.minLength(1),
  z.maxLength(64),
  z.regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
    'letters, digits, "-" and "_" only, starting with a letter or digit',
  ),
  z.refine((id) => !isPrototypeKey(id), PROTOTYPE_KEY_MESSAGE),
);
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** Text in each locale; `en` is the fallback. */
export const localizedTextSchema = z.object({
  en: text(500),
  es: z.optional(text(500)),
  pt: z.optional(text(500)),
});
export type LocalizedText = z.infer<typeof localizedTextSchema>;

const npsQuestion = z.object({
  id: idSchema,
  type: z.literal('nps'),
  /** Relational (periodic, about the relationship) and transactional (after an interaction) are kept apart. */
  kind: z._default(z.enum(['relational', 'transactional']), 'transactional'),
  text: localizedTextSchema,
  required: z._default(z.boolean(), true),
});

const csatQuestion = z.object({
  id: idSchema,
  type: z.literal('csat'),
  text: localizedTextSchema,
  required: z._default(z.boolean(), true),
});

const cesQuestion = z.object({
  id: idSchema,
  type: z.literal('ces'),
  text: localizedTextSchema,
  /** 1-7 (default) or 1-5. */
  scale: z._default(z.union([z.literal(7), z.literal(5)]), 7),
  /** `high-is-easy`: "the company made it easy for me"; `high-is-hard`: "1 very low effort ... 5 very high effort". */
  direction: z._default(z.enum(['high-is-easy', 'high-is-hard']), 'high-is-easy'),
  required: z._default(z.boolean(), true),
});

const textQuestion = z.object({
  id: idSchema,
  type: z.literal('text'),
  text: localizedTextSchema,
  maxLength: z._default(z.int().check(z.gte(1), z.lte(5000)), D.textMaxLength),
  required: z._default(z.boolean(), false),
});

export const questionSchema = z.discriminatedUnion('type', [
  npsQuestion,
  csatQuestion,
  cesQuestion,
  textQuestion,
]);
export type Question = z.infer<typeof questionSchema>;
export type ScoredQuestion = Exclude<Question, { type: 'text' }>;
export type CesQuestion = z.infer<typeof cesQuestion>;

const ruleCommon = {
  id: idSchema,
  severity: z._default(z.enum(['low', 'medium', 'high']), 'medium'),
  /** Hours the first tier has to acknowledge a case of this rule before it escalates. @default 24 */
  ackSlaHours: z.optional(z.number().check(z.gt(0), z.lte(720))),
  /** Hours from the opening to resolve it before it escalates. @default 48 */
  resolveSlaHours: z.optional(z.number().check(z.gt(0), z.lte(2160))),
};

/** A bad score: fires when the answer is at or below (`lte`) or at or above (`gte`) the value. */
export const answerRuleSchema = z.object({
  ...ruleCommon,
  type: z._default(z.literal('answer'), 'answer'),
  questionId: idSchema,
  op: z.enum(['lte', 'gte']),
  value: z.number(),
});

const wordList = z.optional(
  z
    .array(z.string().check(z.minLength(2), z.maxLength(60), z.regex(/^[^\p{Cc}]+$/u)))
    .check(z.maxLength(200)),
);

/**
 * Words in a comment (`cancel`, `cancelar`, `abogado`, `advogado`, `Procon`), listed per language. A word matches
 * at the start of a word of the comment, whatever the case and accents (`cancel` finds "Cancelled" and
 * "cancelación"); every language's words are looked for, since people do not always write in the page's language.
 */
export const keywordRuleSchema = z.object({
  ...ruleCommon,
  type: z.literal('keywords'),
  /** The text question to read; every text answer when absent. */
  questionId: z.optional(idSchema),
  words: z.object({ en: wordList, es: wordList, pt: wordList }),
});

/**
 * What customers talk about (staff, waiting time, price...), found in their comments by its words per language: a
 * word finds the words of its stem, a word ending in `*` the words it starts, a phrase its words in a row. A survey's
 * `themes` replace the default taxonomy (lambdas/insight/rules/themes.ts).
 */
export const themeSchema = z.object({
  id: idSchema,
  /** The name the web app shows, per language. @default the id */
  name: z.optional(localizedTextSchema),
  words: z.object({ en: wordList, es: wordList, pt: wordList }),
});
export type Theme = z.infer<typeof themeSchema>;

/** Operational metadata a vendor attaches (`resolved: no`, `channel: ivr`): fires on any of the values. */
export const attributeRuleSchema = z.object({
  ...ruleCommon,
  type: z.literal('attribute'),
  key: idSchema,
  values: z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.minLength(1), z.maxLength(50)),
});

/**
 * A threshold on a rolling figure: a store's 7-day NPS below 30, a region's CSAT falling. It fires only on enough
 * answers and when the 95% interval is clear of the target (or of the previous window, for a drop), and once per
 * condition until the figure recovers.
 */
export const thresholdRuleSchema = z.object({
  id: idSchema,
  questionId: idSchema,
  /** Watched per value of this segment key (`store`), or `all` for the whole survey. */
  segmentKey: z._default(idSchema, 'all'),
  windowDays: z._default(z.union([z.literal(7), z.literal(30)]), D.threshold.windowDays),
  /** Fires when the figure (NPS, CSAT %, CES mean) is below this, with its whole interval. */
  below: z.optional(z.number()),
  /** Fires when the figure fell by at least this much against the window before, the change's interval below 0. */
  dropBy: z.optional(z.number().check(z.gt(0))),
  minResponses: z._default(z.int().check(z.gte(5), z.lte(100_000)), D.threshold.minResponses),
  severity: z._default(z.enum(['low', 'medium', 'high']), 'high'),
});
export type ThresholdRule = z.infer<typeof thresholdRuleSchema>;

/** A rule that turns one response into a case. */
export const alertRuleSchema = z.union([keywordRuleSchema, attributeRuleSchema, answerRuleSchema]);
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AnswerRule = z.infer<typeof answerRuleSchema>;

export const ownerSchema = z.object({
  /** `key:value` of a segment (`store:s-001`), or `*` for everyone else. */
  segment: text(200),
  name: z.optional(text(200)),
  email: z.email().check(z.maxLength(254)),
  /** Language of the alert emails this owner receives. @default the survey's default locale */
  locale: z.optional(localeSchema),
});
export type Owner = z.infer<typeof ownerSchema>;

/** A window's counter item holds a 12-character tag per counted post: 10,000 of them stay well under 400 KB. */
const limit = (fallback: number) => z._default(z.int().check(z.gte(1), z.lte(10_000)), fallback);

/** Ballot-stuffing limits on the survey page's form posts (not the JSON API); see rate-limit.ts. */
export const rateLimitSchema = z.object({
  /** Responses per device (a cookie) per address per window: it stops honest repeats; perAddress is the bound. */
  perDevice: limit(DEFAULT_RATE_LIMIT.perDevice),
  /** Responses per network address (IPv6: per /64) per window; people on one shop Wi-Fi share one. */
  perAddress: limit(DEFAULT_RATE_LIMIT.perAddress),
  windowMinutes: z._default(
    z.int().check(z.gte(1), z.lte(MAX_WINDOW_MINUTES)),
    DEFAULT_RATE_LIMIT.windowMinutes,
  ),
});

export const DEFAULT_RECOVERY = D.recovery;

export const recoverySchema = z.object({
  /** Send the follow-up when a case is resolved (the person resolving may still say otherwise). */
  followUp: z._default(z.boolean(), DEFAULT_RECOVERY.followUp),
  /** Hours between the resolution and the follow-up: time for the fix to show. */
  delayHours: z._default(z.int().check(z.gte(0), z.lte(720)), DEFAULT_RECOVERY.delayHours),
});

export const surveySchema = z
  .object({
    id: idSchema,
    title: localizedTextSchema,
    locales: z._default(z.array(localeSchema).check(z.minLength(1)), [...D.locales]),
    defaultLocale: z._default(localeSchema, D.defaultLocale),
    questions: z.array(questionSchema).check(z.minLength(1), z.maxLength(30)),
    /** Attribute keys aggregated as segments (besides the all-responses segment). */
    segmentKeys: z._default(z.array(idSchema).check(z.maxLength(10)), []),
    /**
     * Segment keys from the widest to the narrowest (`region`, `city`, `store`), each one of `segmentKeys`: the
     * Segments screen drills down along it, a value's parent being the answer's value of the key above.
     */
    hierarchy: z._default(z.array(idSchema).check(z.maxLength(6)), []),
    /** The figure the team aims for, per scored question id (NPS 40, CSAT 85, CES 5.5): segments clearly below it are marked. */
    targets: z._default(z.record(idSchema, z.number()), {}),
    /** Answers a segment needs in a window to be ranked in the league table; with fewer it shows as too few. */
    minResponsesToRank: z._default(z.int().check(z.gte(5), z.lte(100_000)), D.minResponsesToRank),
    /**
     * Hours after it was given that an answer may still open a case: one that arrives later (a vendor's backlog, an
     * imported history) is counted in every figure but opens none, since nobody can recover a customer that late.
     */
    alertWithinHours: z._default(z.int().check(z.gte(1), z.lte(8760)), D.alertWithinHours),
    /** The themes comments are read for; when absent, the default CX taxonomy. */
    themes: z.optional(z.array(themeSchema).check(z.maxLength(40))),
    /** Bad-answer rules; when absent, defaults are derived from the questions (see `defaultAlertRules`). */
    alertRules: z.optional(z.array(alertRuleSchema).check(z.maxLength(50))),
    owners: z._default(z.array(ownerSchema).check(z.maxLength(1000)), []),
    /** Threshold alerts on rolling figures (see thresholds.ts). */
    thresholds: z._default(z.array(thresholdRuleSchema).check(z.maxLength(50)), []),
    /** Days a response (and its comment) is kept before TTL deletes it. Aggregates are kept. */
    retentionDays: z._default(z.int().check(z.gte(1), z.lte(3650)), D.retentionDays),
    /** Refuse links with attributes but no `sig` (a `sig` that is present is always checked); see links.ts. */
    requireSignedLinks: z._default(z.boolean(), D.requireSignedLinks),
    rateLimit: z._default(rateLimitSchema, { ...DEFAULT_RATE_LIMIT }),
    /** The customer's one-question follow-up after their case is resolved (see recovery.ts). */
    recovery: z._default(recoverySchema, { ...DEFAULT_RECOVERY }),
  })
  .check(
    z.superRefine((survey, ctx) => {
      const ids = new Set<string>();
      for (const [i, q] of survey.questions.entries()) {
        if (ids.has(q.id))
          ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: 'duplicate id' });
        ids.add(q.id);
      }
      const typeOf = new Map(survey.questions.map((q) => [q.id, q.type]));
      for (const [i, rule] of (survey.alertRules ?? []).entries()) {
        if (rule.type === 'attribute') continue;
        const type = rule.questionId === undefined ? undefined : typeOf.get(rule.questionId);
        const problem =
          rule.questionId === undefined
            ? undefined
            : type === undefined
              ? 'no such question'
              : rule.type === 'keywords' && type !== 'text'
                ? 'words are looked for in a text question'
                : rule.type === 'answer' && type === 'text'
                  ? 'a score rule needs a scored question'
                  : undefined;
        if (problem)
          ctx.addIssue({ code: 'custom', path: ['alertRules', i, 'questionId'], message: problem });
        if (rule.type === 'keywords' && !Object.values(rule.words).some((w) => w && w.length > 0))
          ctx.addIssue({
            code: 'custom',
            path: ['alertRules', i, 'words'],
            message: 'list at least one word',
          });
      }
      for (const [i, t] of survey.thresholds.entries()) {
        const type = typeOf.get(t.questionId);
        if (type === undefined || type === 'text')
          ctx.addIssue({
            code: 'custom',
            path: ['thresholds', i, 'questionId'],
            message: 'not a scored question',
          });
        if (t.below === undefined && t.dropBy === undefined)
          ctx.addIssue({ code: 'custom', path: ['thresholds', i], message: 'give below, dropBy or both' });
        if (t.segmentKey !== 'all' && !survey.segmentKeys.includes(t.segmentKey))
          ctx.addIssue({
            code: 'custom',
            path: ['thresholds', i, 'segmentKey'],
            message: 'not one of segmentKeys',
          });
      }
      for (const [i, key] of survey.hierarchy.entries()) {
        if (!survey.segmentKeys.includes(key))
          ctx.addIssue({ code: 'custom', path: ['hierarchy', i], message: 'not one of segmentKeys' });
        if (survey.hierarchy.indexOf(key) !== i)
          ctx.addIssue({ code: 'custom', path: ['hierarchy', i], message: 'listed twice' });
      }
      for (const id of Object.keys(survey.targets)) {
        const type = typeOf.get(id);
        if (type === undefined || type === 'text')
          ctx.addIssue({ code: 'custom', path: ['targets', id], message: 'not a scored question' });
      }
      if (!survey.locales.includes(survey.defaultLocale))
        ctx.addIssue({ code: 'custom', path: ['defaultLocale'], message: 'must be one of locales' });
    }),
  );
export type Survey = z.infer<typeof surveySchema>;
export type SurveyInput = z.input<typeof surveySchema>;

export function scoredQuestions(survey: Survey): ScoredQuestion[] {
  return survey.questions.filter((q): q is ScoredQuestion => q.type !== 'text');
}

/** Lowest and highest valid answer of a scored question. */
export function scaleOf(q: ScoredQuestion): { min: number; max: number } {
  switch (q.type) {
    case 'nps':
      return { min: 0, max: 10 };
    case 'csat':
      return { min: 1, max: 5 };
    case 'ces':
      return { min: 1, max: q.scale };
  }
}

/** Ease on a high-is-easy scale, whatever the question's direction. */
export function easeOf(q: CesQuestion, answer: number): number {
  return q.direction === 'high-is-easy' ? answer : q.scale + 1 - answer;
}

/**
 * Low effort: ease 5-7 on the 7-point scale ("somewhat agree" or better), 4-5 on the 5-point scale.
 * High effort: ease 1-3 on 7 points, 1-2 on 5 points.
 */
export function effortBand(q: CesQuestion, answer: number): 'low' | 'neutral' | 'high' {
  const ease = easeOf(q, answer);
  const lowFrom = q.scale === 7 ? 5 : 4;
  const highTo = q.scale === 7 ? 3 : 2;
  if (ease >= lowFrom) return 'low';
  if (ease <= highTo) return 'high';
  return 'neutral';
}

export { defaultAlertRules };

export function alertRulesOf(survey: Survey): AlertRule[] {
  return survey.alertRules ?? defaultAlertRules(survey);
}

export function localized(text: LocalizedText, locale: Locale): string {
  return text[locale] ?? text.en;
}

/** The demo survey that `npm start` seeds. */
export const demoSurvey: SurveyInput = {
  id: 'demo',
  title: { en: 'How did we do?', es: '¿Cómo lo hicimos?', pt: 'Como nos saímos?' },
  questions: [
    {
      id: 'nps',
      type: 'nps',
      text: {
        en: 'How likely are you to recommend us to a friend or colleague?',
        es: '¿Qué probabilidad hay de que nos recomiende a un amigo o colega?',
        pt: 'Qual a probabilidade de você nos recomendar a um amigo ou colega?',
      },
    },
    {
      id: 'csat',
      type: 'csat',
      text: {
        en: 'How satisfied are you with your visit today?',
        es: '¿Qué tan satisfecho está con su visita de hoy?',
        pt: 'Quão satisfeito você está com sua visita hoje?',
      },
    },
    {
      id: 'ces',
      type: 'ces',
      scale: 7,
      direction: 'high-is-easy',
      text: {
        en: 'The company made it easy for me to handle my issue.',
        es: 'La empresa me facilitó resolver mi asunto.',
        pt: 'A empresa facilitou a resolução do meu problema.',
      },
    },
    {
      id: 'comment',
      type: 'text',
      text: {
        en: 'What is the main reason for your score?',
        es: '¿Cuál es la razón principal de su puntuación?',
        pt: 'Qual é o principal motivo da sua nota?',
      },
    },
  ],
  segmentKeys: ['region', 'city', 'store', 'channel'],
  hierarchy: ['region', 'city', 'store'],
  owners: [{ segment: '*', name: 'CX team', email: 'cx-team@example.com' }],
  // Plain links such as /s/demo?store=s-001 keep working; QR codes made with `npm run qr` are signed anyway.
  requireSignedLinks: false,
};
