/**
 * What a survey definition holds when it does not say: the survey schema's defaults, and the alert rules a survey
 * without its own gets. No imports (survey.ts imports this), so the web app's survey editor starts from the same
 * values without bringing zod into its bundle.
 */
export const SURVEY_DEFAULTS = {
  locales: ['en', 'es', 'pt'],
  defaultLocale: 'en',
  minResponsesToRank: 30,
  alertWithinHours: 72,
  retentionDays: 400,
  requireSignedLinks: false,
  rateLimit: { perDevice: 3, perAddress: 30, windowMinutes: 60 },
  recovery: { followUp: false, delayHours: 24 },
  /** A threshold's window and the answers it needs before it may fire. */
  threshold: { windowDays: 7, minResponses: 30 },
  /** Characters a text answer may have. */
  textMaxLength: 2000,
} as const;

/** What the default rules read of a question (a survey's questions are these, and more). */
interface RuleQuestion {
  readonly id: string;
  readonly type: 'nps' | 'csat' | 'ces' | 'text';
  readonly scale?: 5 | 7;
  readonly direction?: 'high-is-easy' | 'high-is-hard';
}

/** A default rule: an answer rule of the survey schema, with the default SLAs. */
export interface DefaultAlertRule {
  readonly id: string;
  readonly type: 'answer';
  readonly questionId: string;
  readonly op: 'lte' | 'gte';
  readonly value: number;
  readonly severity: 'medium' | 'high';
}

/** Default rules: NPS detractor (<= 6), CSAT <= 2, high effort. */
export function defaultAlertRules(survey: {
  readonly questions: readonly RuleQuestion[];
}): DefaultAlertRule[] {
  const rules: DefaultAlertRule[] = [];
  for (const q of survey.questions) {
    if (q.type === 'nps')
      rules.push({
        id: `${q.id}-detractor`,
        type: 'answer',
        questionId: q.id,
        op: 'lte',
        value: 6,
        severity: 'high',
      });
    if (q.type === 'csat')
      rules.push({
        id: `${q.id}-low`,
        type: 'answer',
        questionId: q.id,
        op: 'lte',
        value: 2,
        severity: 'medium',
      });
    if (q.type === 'ces') {
      const highEffort =
        q.direction === 'high-is-easy'
          ? { op: 'lte' as const, value: q.scale === 7 ? 3 : 2 }
          : { op: 'gte' as const, value: q.scale === 7 ? 5 : 4 };
      rules.push({
        id: `${q.id}-high-effort`,
        type: 'answer',
        questionId: q.id,
        ...highEffort,
        severity: 'medium',
      });
    }
  }
  return rules;
}
