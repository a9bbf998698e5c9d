/** Milliseconds in a day. Pulso's days are UTC days: aggregates, windows, quiet periods and due dates count them. */
export const DAY_MS = 86_400_000;

/** The UTC day (yyyy-mm-dd) of an instant or of an ISO timestamp in UTC, the unit of daily aggregates. */
export const dayOf = (at: Date | string): string =>
  (typeof at === 'string' ? at : at.toISOString()).slice(0, 10);
