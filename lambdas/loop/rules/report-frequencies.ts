/** How often an owner may get their report by email. No imports: the web app's Routing screen reads it too. */
export const REPORT_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number];
