import { figureRange } from '#kernel/metrics.ts';
import { type Locale, localized } from '#kernel/survey.ts';
import type { ReportFrequency } from '#loop/rules/report-frequencies.ts';
import type { ReportHeadline, ReportPeriod, ReportSection, ReportSubscriber } from '#loop/rules/reports.ts';
import { html, raw, type SafeHtml } from './html.ts';
import { INTL_LOCALES, messages } from './i18n.ts';
import { emailFrame } from './layout.ts';
import { CHART_HEIGHT, CHART_WIDTH, chartScale, trendChartPng } from './report-chart.ts';
import { fill, oneLine, webUrl } from './text.ts';

export interface ReportEmailInput {
  readonly locale: Locale;
  readonly subscriber: ReportSubscriber;
  readonly period: ReportPeriod;
  readonly sections: readonly ReportSection[];
  /** Places left out past MAX_REPORT_SECTIONS. */
  readonly more: number;
  /** The web app (`https://.../app/`): each place and case links there. */
  readonly appUrl: string;
}

/** An image the email shows inline: its HTML says `cid:<cid>`. */
export interface InlineImage {
  readonly cid: string;
  readonly png: Buffer;
}

const TH = 'text-align:left;vertical-align:top;padding:.25em .75em .25em 0;color:#444;font-weight:600';
const TD = 'text-align:left;vertical-align:top;padding:.25em .75em .25em 0';

/** A day (yyyy-mm-dd) as the owner writes dates. */
const dayText = (locale: Locale, day: string, month = false) =>
  new Intl.DateTimeFormat(INTL_LOCALES[locale], {
    ...(month ? { month: 'long', year: 'numeric' } : { day: 'numeric', month: 'short', year: 'numeric' }),
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));

/** The period in words: a day, a range of days, or a month. */
export function periodText(locale: Locale, frequency: ReportFrequency, from: string, to: string): string {
  if (frequency === 'daily') return dayText(locale, from);
  if (frequency === 'monthly') return dayText(locale, from, true);
  const f = new Intl.DateTimeFormat(INTL_LOCALES[locale], {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return f.formatRange(new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`));
}

/**
 * An owner's scheduled report: per place, the headline figures against the period before (n, 95% interval, whether
 * the change is clear), the trend as a PNG chart attached inline with its scale and points written out, and the
 * open and overdue cases, the oldest linked. Every customer-given or owner-given text is escaped; the subject is
 * one line.
 */
export async function renderReportEmail(input: ReportEmailInput): Promise<{
  subject: string;
  html: string;
  text: string;
  images: InlineImage[];
}> {
  const { locale, period, subscriber } = input;
  const w = messages(locale).report;
  const severityWords = messages(locale).app.severity;
  const n = (x: number | null, digits = 1) =>
    x === null
      ? '–'
      : new Intl.NumberFormat(INTL_LOCALES[locale], { maximumFractionDigits: digits }).format(x);
  const when = periodText(locale, period.frequency, period.period.from, period.period.to);
  const subject = oneLine(fill(w.subject[period.frequency], { period: when }));
  const compared = w.compared[period.frequency];
  const intro = subscriber.name
    ? fill(w.intro, { name: subscriber.name, period: when, compared })
    : fill(w.introNoName, { period: when, compared });
  const app = webUrl(input.appUrl, 'appUrl');
  const link = (path: string, query: Record<string, string> = {}) => {
    const url = new URL(path, app);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url.href;
  };

  const images: InlineImage[] = [];
  const htmlParts: SafeHtml[] = [];
  const textParts: string[] = [];
  for (const [i, section] of input.sections.entries()) {
    const title = localized(section.survey.title, locale);
    const where = section.place === '*' ? w.everyPlace : section.place;
    const heading = `${title} · ${where}`;
    const figureName = (h: ReportHeadline) => w.figures[h.type];
    const changeText = (h: ReportHeadline) =>
      h.change === null || h.direction === null
        ? w.none
        : `${h.change.value > 0 ? '+' : ''}${n(h.change.value)} (${w[h.direction]})`;
    const rows = section.headlines.map((h) => {
      const ci = h.ci95 ? fill(w.ci, { low: n(h.ci95.low), high: n(h.ci95.high) }) : '';
      return {
        h,
        figure: h.score === null ? w.none : n(h.score),
        ci,
        before: h.previous.score === null ? w.none : `${n(h.previous.score)} (n = ${n(h.previous.n, 0)})`,
        change: changeText(h),
      };
    });
    const table = html`<table style="border-collapse:collapse;margin:.5em 0"><thead><tr><th scope="col" style="${TH}">${w.figure}</th><th scope="col" style="${TH}">${w.answers}</th><th scope="col" style="${TH}">${w.before}</th><th scope="col" style="${TH}">${w.change}</th></tr></thead><tbody>${rows.map(
      (r) =>
        html`<tr><th scope="row" style="${TH}">${figureName(r.h)}: ${r.figure}${r.ci ? html`<br><span style="font-weight:400;font-size:.85em">${r.ci}</span>` : ''}</th><td style="${TD}">${n(r.h.n, 0)}</td><td style="${TD}">${r.before}</td><td style="${TD}">${r.change}</td></tr>`,
    )}</tbody></table>`;

    let chart: SafeHtml | string = '';
    let chartText = '';
    const trend = section.trend;
    const question = trend ? section.survey.questions.find((q) => q.id === trend.questionId) : undefined;
    if (trend && question && question.type !== 'text') {
      const type = question.type;
      const fullRange = figureRange(question);
      const target = section.survey.targets[question.id];
      const scale = chartScale(fullRange, trend.points, target);
      const facts = {
        figure: w.figures[type],
        step: w.steps[trend.step],
        from: dayText(locale, trend.from),
        to: dayText(locale, trend.to),
        min: n(scale.min),
        max: n(scale.max),
      };
      const withScore = trend.points.filter((p) => p.score !== null);
      if (withScore.length === 0) {
        chart = html`<p>${w.noTrend}</p>`;
        chartText = w.noTrend;
      } else {
        const cid = `trend-${i}@pulso`;
        images.push({ cid, png: await trendChartPng({ ...trend, scale, target }) });
        const points = withScore.map((p) => `${dayText(locale, p.day)} ${n(p.score)}`).join('; ');
        const caption = `${fill(w.trendCaption, facts)}${target === undefined ? '' : `; ${fill(w.target, { target: n(target) })}`}.`;
        chart = html`<img src="cid:${cid}" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" alt="${fill(w.trendAlt, { ...facts, points })}" style="display:block;width:100%;max-width:${CHART_WIDTH}px;height:auto;border:1px solid #e3e5e8;border-radius:4px"><p style="font-size:.85em;color:#444;margin:.25em 0 .75em">${caption}</p>`;
        chartText = `${caption}\n${points}`;
      }
    }

    const cases = fill(w.cases, { open: n(section.cases.open, 0), overdue: n(section.cases.overdue, 0) });
    const caseLines = section.cases.oldest.map((c) => ({
      url: link(`cases/${encodeURIComponent(c.caseId)}`),
      line: `${fill(w.caseLine, { severity: severityWords[c.severity], opened: dayText(locale, c.openedAt.slice(0, 10)) })}${c.overdue ? ` · ${w.overdueMark}` : ''}`,
    }));
    const placeUrl = link('', {
      survey: section.survey.id,
      ...(section.place === '*' ? {} : { segment: section.place }),
    });
    htmlParts.push(
      html`<h2 style="font-size:1.1em;margin:1.25em 0 .25em">${heading}</h2>${table}${chart}<p style="margin:.25em 0">${cases}</p>${
        caseLines.length > 0
          ? html`<p style="margin:.25em 0">${w.oldest}</p><ul style="margin:.25em 0;padding-left:1.25em">${caseLines.map((c) => html`<li><a href="${c.url}">${c.line}</a></li>`)}</ul>`
          : ''
      }<p><a href="${placeUrl}">${w.open}</a></p>`,
    );
    textParts.push(
      [
        heading,
        ...rows.map(
          (r) =>
            `${figureName(r.h)}: ${r.figure}${r.ci ? ` (${r.ci})` : ''}; ${w.answers}: ${n(r.h.n, 0)}; ${w.before}: ${r.before}; ${w.change}: ${r.change}`,
        ),
        chartText,
        cases,
        ...caseLines.map((c) => `- ${c.line}: ${c.url}`),
        `${w.open}: ${placeUrl}`,
      ]
        .filter((line) => line !== '')
        .join('\n'),
    );
  }
  const nothing = input.sections.length === 0 ? html`<p>${w.nothing}</p>` : '';
  const more = input.more > 0 ? fill(w.more, { more: n(input.more, 0) }) : '';
  const body = emailFrame({
    locale,
    title: subject,
    style: 'plain',
    bodyAttributes: raw(
      ' style="font-family:system-ui,sans-serif;color:#1a1a1a;line-height:1.5;max-width:40em"',
    ),
    body: html`<p>${intro}</p>${nothing}${htmlParts}${more ? html`<p><a href="${app}">${more}</a></p>` : ''}<p style="font-size:.85em;color:#444">${w.footer}</p>`,
  });
  const text = [
    intro,
    input.sections.length === 0 ? w.nothing : '',
    ...textParts,
    more ? `${more} ${app}` : '',
    w.footer,
  ]
    .filter((part) => part !== '')
    .join('\n\n');
  return { subject, html: body, text, images };
}
