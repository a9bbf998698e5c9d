import type { Locale } from '#domain/survey.ts';
import { html } from './html.ts';
import { messages } from './i18n.ts';

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
  readonly openedAt: string;
}

/** Subjects are one line: no header injection through a survey title. */
const oneLine = (s: string) =>
  s
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .trim()
    .slice(0, 200);

/** The owner's email for a new case: localized, every customer-provided value escaped, with a plain-text part. */
export function renderAlertEmail(input: AlertEmailInput): { subject: string; html: string; text: string } {
  const m = messages(input.locale).email;
  const severity = m.severities[input.severity];
  const subject = oneLine(m.subject.replace('{survey}', input.surveyTitle).replace('{severity}', severity));
  const segment = Object.entries(input.segment)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const rows = [
    [m.rules, input.ruleId],
    [m.severity, severity],
    ...(segment ? [[m.segment, segment]] : []),
    [m.opened, input.openedAt],
  ];
  const body = html`<!doctype html><html lang="${input.locale}"><body style="font-family:system-ui,sans-serif;color:#1a1a1a"><p>${m.intro}</p><table>${rows.map(
    ([k, v]) => html`<tr><th align="left" style="padding-right:1em">${k}</th><td>${v}</td></tr>`,
  )}${input.answers.map((a) => html`<tr><th align="left" style="padding-right:1em">${a.question}</th><td>${a.answer}</td></tr>`)}</table>${
    input.comment
      ? html`<p><strong>${m.comment}:</strong></p><blockquote style="white-space:pre-wrap">${input.comment}</blockquote>`
      : html``
  }<p><a href="${input.caseUrl}" style="display:inline-block;padding:.6em 1.2em;background:#0b57d0;color:#fff;border-radius:.4em;text-decoration:none">${m.action}</a></p><p style="color:#555;font-size:.85em">${input.caseId}</p></body></html>`;
  const text = [
    m.intro,
    '',
    ...rows.map(([k, v]) => `${k}: ${v}`),
    ...input.answers.map((a) => `${a.question}: ${a.answer}`),
    ...(input.comment ? ['', `${m.comment}:`, input.comment] : []),
    '',
    `${m.action}: ${input.caseUrl}`,
    input.caseId,
  ].join('\n');
  return { subject, html: body.toString(), text };
}
