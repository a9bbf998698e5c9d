import type { Locale } from '#kernel/survey.ts';
import { html } from './html.ts';
import { INTL_LOCALES, messages } from './i18n.ts';
import { ownerEmailHtml } from './owner-email.ts';
import { oneLine } from './text.ts';

export interface AlertEmailInput {
  readonly locale: Locale;
  readonly surveyTitle: string;
  readonly ruleId: string;
  readonly severity: 'low' | 'medium' | 'high';
  readonly answers: ReadonlyArray<{ readonly question: string; readonly answer: string }>;
  readonly comment?: string;
  readonly segment: Readonly<Record<string, string>>;
  readonly caseId: string;
  readonly caseUrl: string;
  /** The signed one-click acknowledge link for this reader (see case-links.ts). */
  readonly acknowledgeUrl?: string;
  /** ISO 8601; shown in the owner's language, in UTC. */
  readonly openedAt: string;
}

/** Only web links become buttons: a `javascript:` or `data:` URL would be a trap in a mail client. */
const webUrl = (url: string) => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
};

function when(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(INTL_LOCALES[locale], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(date);
  return `${text} UTC`;
}

const BUTTON =
  'display:inline-block;padding:.75em 1.25em;background:#0b57d0;color:#ffffff;border-radius:.4em;text-decoration:none;font-weight:600';

/** The owner's email for a new case: localized, every customer-provided value escaped, with a plain-text part. */
export function renderAlertEmail(input: AlertEmailInput): { subject: string; html: string; text: string } {
  const m = messages(input.locale).alert;
  const severity = m.severities[input.severity];
  const subject = oneLine(m.subject.replace('{survey}', input.surveyTitle).replace('{severity}', severity));
  const segment = Object.entries(input.segment)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const rows: Array<readonly [string, string]> = [
    [m.rules, input.ruleId],
    [m.severity, severity],
    ...(segment ? [[m.segment, segment] as const] : []),
    [m.opened, when(input.openedAt, input.locale)],
    ...input.answers.map((a) => [a.question, a.answer] as const),
  ];
  const url = webUrl(input.caseUrl);
  const ackUrl = input.acknowledgeUrl ? webUrl(input.acknowledgeUrl) : undefined;
  const ack = messages(input.locale).acknowledge.button;
  const body = ownerEmailHtml({
    locale: input.locale,
    subject,
    intro: m.intro,
    rows,
    after: html`${
      input.comment
        ? html`<p><strong>${m.comment}:</strong></p><blockquote style="white-space:pre-wrap;margin:0 0 1em;padding-left:1em;border-left:3px solid #5f6368">${input.comment}</blockquote>`
        : ''
    }${ackUrl ? html`<p><a href="${ackUrl}" style="${BUTTON}">${ack}</a></p>` : ''}${url ? html`<p><a href="${url}" style="${BUTTON}">${m.action}</a></p><p style="font-size:.85em;color:#444">${url}</p>` : ''}<p style="font-size:.85em;color:#444">${m.caseId}: ${input.caseId}</p><p style="font-size:.85em;color:#444">${m.footer}</p>`,
  });
  const text = [
    m.intro,
    '',
    ...rows.map(([k, v]) => `${k}: ${v}`),
    ...(input.comment ? ['', `${m.comment}:`, input.comment] : []),
    '',
    ...(ackUrl ? [`${ack}: ${ackUrl}`] : []),
    ...(url ? [`${m.action}: ${url}`] : []),
    `${m.caseId}: ${input.caseId}`,
    '',
    m.footer,
  ].join('\n');
  return { subject, html: body, text };
}
