/**
 * What a survey definition holds when it does not say: the survey schema's defaults. No imports, so the web app's
 * survey editor starts a new survey from the same values without bringing zod into its bundle.
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
