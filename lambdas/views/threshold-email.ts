import type { ThresholdEmailInput } from '#loop/rules/thresholds.ts';
import { html } from './html.ts';
import { INTL_LOCALES, messages } from './i18n.ts';
import { ownerEmailHtml } from './owner-email.ts';
import { fill, oneLine } from './text.ts';

/** A threshold alert (or its recovery) for the segment's owner: localized, every value escaped. */
export function renderThresholdEmail(input: ThresholdEmailInput): {
  subject: string;
  html: string;
  text: string;
} {
  const w = messages(input.locale).threshold;
  const number = (x: number | null) =>
    x === null
      ? '-'
      : new Intl.NumberFormat(INTL_LOCALES[input.locale], { maximumFractionDigits: 1 }).format(x);
  const { check, rule } = input;
  const figure = `${w.figures[input.questionType]} (${input.questionId})`;
  const where = check.segment.key === 'all' ? w.all : `${check.segment.key} ${check.segment.value}`;
  const template = input.kind === 'recovered' ? w.recovered : input.condition === 'below' ? w.below : w.drop;
  const subject = oneLine(fill(template, { figure: w.figures[input.questionType], where }));
  const intro =
    input.kind === 'recovered' ? w.introRecovered : input.condition === 'below' ? w.introBelow : w.introDrop;
  const ci = check.ci95
    ? ` (${fill(w.ci, { low: number(check.ci95.low), high: number(check.ci95.high) })})`
    : '';
  const rows: Array<readonly [string, string]> = [
    [w.figure, `${figure}: ${number(check.score)}${ci}`],
    [w.answers, number(check.n)],
    input.condition === 'below'
      ? [w.target, number(rule.below ?? null)]
      : [w.before, `${number(check.previous.score)} (n = ${number(check.previous.n)})`],
    [w.window, fill(w.days, { n: String(rule.windowDays) })],
    [w.survey, input.surveyTitle],
    [w.rule, rule.id],
  ];
  const body = ownerEmailHtml({
    locale: input.locale,
    subject,
    intro,
    rows,
    after: html`<p style="font-size:.85em;color:#444">${w.footer}</p>`,
  });
  const text = [intro, '', ...rows.map(([k, v]) => `${k}: ${v}`), '', w.footer].join('\n');
  return { subject, html: body, text };
}
