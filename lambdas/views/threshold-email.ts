import type { Locale } from '#kernel/survey.ts';
import type { ThresholdEmailInput } from '#loop/rules/thresholds.ts';
import { html } from './html.ts';
import { ownerEmailHtml } from './owner-email.ts';
import { fill, oneLine } from './text.ts';

/** The words of threshold alert emails. */
const WORDS: Record<
  Locale,
  {
    below: string;
    drop: string;
    recovered: string;
    introBelow: string;
    introDrop: string;
    introRecovered: string;
    figure: string;
    answers: string;
    target: string;
    before: string;
    window: string;
    days: string;
    survey: string;
    rule: string;
    all: string;
    ci: string;
    footer: string;
  }
> = {
  en: {
    below: '{figure} below target: {where}',
    drop: '{figure} dropped: {where}',
    recovered: '{figure} recovered: {where}',
    introBelow:
      'The rolling figure is below its target, and the answers are enough to be sure it is not noise.',
    introDrop:
      'The rolling figure fell clearly against the window before, and the answers are enough to be sure it is not noise.',
    introRecovered: 'The figure that raised an alert is back where it should be.',
    figure: 'Figure',
    answers: 'Answers',
    target: 'Target',
    before: 'The window before',
    window: 'Window',
    days: 'last {n} days',
    survey: 'Survey',
    rule: 'Rule',
    all: 'all responses',
    ci: '95% interval {low} to {high}',
    footer: 'You get one alert per condition, and one more when it recovers.',
  },
  es: {
    below: '{figure} por debajo del objetivo: {where}',
    drop: '{figure} cayó: {where}',
    recovered: '{figure} se recuperó: {where}',
    introBelow:
      'La cifra móvil está por debajo de su objetivo, y hay respuestas suficientes para saber que no es ruido.',
    introDrop:
      'La cifra móvil cayó claramente respecto del periodo anterior, y hay respuestas suficientes para saber que no es ruido.',
    introRecovered: 'La cifra que generó una alerta volvió a donde debe estar.',
    figure: 'Cifra',
    answers: 'Respuestas',
    target: 'Objetivo',
    before: 'El periodo anterior',
    window: 'Periodo',
    days: 'últimos {n} días',
    survey: 'Encuesta',
    rule: 'Regla',
    all: 'todas las respuestas',
    ci: 'intervalo del 95 %: {low} a {high}',
    footer: 'Recibe una alerta por condición, y otra cuando se recupera.',
  },
  pt: {
    below: '{figure} abaixo da meta: {where}',
    drop: '{figure} caiu: {where}',
    recovered: '{figure} se recuperou: {where}',
    introBelow: 'O número móvel está abaixo da meta, e há respostas suficientes para saber que não é ruído.',
    introDrop:
      'O número móvel caiu claramente em relação ao período anterior, e há respostas suficientes para saber que não é ruído.',
    introRecovered: 'O número que gerou um alerta voltou para onde deveria estar.',
    figure: 'Número',
    answers: 'Respostas',
    target: 'Meta',
    before: 'O período anterior',
    window: 'Período',
    days: 'últimos {n} dias',
    survey: 'Pesquisa',
    rule: 'Regra',
    all: 'todas as respostas',
    ci: 'intervalo de 95%: {low} a {high}',
    footer: 'Você recebe um alerta por condição, e mais um quando ele se recupera.',
  },
};

const INTL: Record<Locale, string> = { en: 'en-GB', es: 'es', pt: 'pt-BR' };
const FIGURE_NAMES = { nps: 'NPS', csat: 'CSAT %', ces: 'CES' } as const;

/** A threshold alert (or its recovery) for the segment's owner: localized, every value escaped. */
export function renderThresholdEmail(input: ThresholdEmailInput): {
  subject: string;
  html: string;
  text: string;
} {
  const w = WORDS[input.locale];
  const number = (x: number | null) =>
    x === null ? '-' : new Intl.NumberFormat(INTL[input.locale], { maximumFractionDigits: 1 }).format(x);
  const { check, rule } = input;
  const figure = `${FIGURE_NAMES[input.questionType]} (${input.questionId})`;
  const where = check.segment.key === 'all' ? w.all : `${check.segment.key} ${check.segment.value}`;
  const template = input.kind === 'recovered' ? w.recovered : input.condition === 'below' ? w.below : w.drop;
  const subject = oneLine(fill(template, { figure: FIGURE_NAMES[input.questionType], where }));
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
