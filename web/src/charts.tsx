import { type ScaleLinear, scaleBand, scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import type { Distribution } from '#aggregation/rules/report.ts';
import type { ScoreBand } from '#kernel/bands.ts';
import { dateText, fill, type Locale, number, type Words } from './i18n.ts';

/**
 * Charts drawn as SVG by Preact, with d3-scale and d3-shape for the arithmetic (decision 0011): each chart is one
 * image with a name and a one-sentence description for screen readers, and the same figures as a table one click
 * away. Colours are never the only carrier of meaning: the band names are in the table and the description.
 */

const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 12, bottom: 28, left: 44 };

export interface TrendPoint {
  readonly day: string;
  readonly n: number;
  readonly score: number | null;
  readonly ci95: { readonly low: number; readonly high: number } | null;
}

const dayLabel = (locale: Locale, day: string) => dateText(locale, new Date(`${day}T00:00:00Z`), 'day');

/** A headline figure over time: the line of the scores and the band of their 95% intervals. */
export function TrendChart(props: {
  readonly title: string;
  readonly points: readonly TrendPoint[];
  /** The figure's range: -100..100 for NPS, 0..100 for CSAT, 1..scale for CES. */
  readonly domain: readonly [number, number];
  readonly digits: number;
  readonly locale: Locale;
  readonly words: Words;
}) {
  const { title, domain, digits, locale, words } = props;
  const id = useId();
  const points = props.points.filter((p) => p.score !== null);
  const n = (x: number, d = digits) => number(locale, x, d);
  const times = points.map((p) => Date.parse(p.day));
  const x = scaleLinear()
    .domain(
      times.length > 1
        ? [Math.min(...times), Math.max(...times)]
        : [(times[0] ?? 0) - 1, (times[0] ?? 0) + 1],
    )
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear()
    .domain([domain[0], domain[1]])
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const at = (p: TrendPoint) => x(Date.parse(p.day));
  const band = area<TrendPoint>()
    .x(at)
    .y0((p) => y(p.ci95?.low ?? p.score ?? 0))
    .y1((p) => y(p.ci95?.high ?? p.score ?? 0))(points);
  const path = line<TrendPoint>()
    .x(at)
    .y((p) => y(p.score ?? 0))(points);
  const first = points[0];
  const last = points.at(-1);
  const description =
    first && last
      ? fill(words.trendSummary, {
          from: dayLabel(locale, first.day),
          to: dayLabel(locale, last.day),
          first: n(first.score ?? 0),
          last: n(last.score ?? 0),
          points: n(points.length, 0),
        })
      : words.noAnswers;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {points.length === 0 ? (
        <p>{words.noAnswers}</p>
      ) : (
        <>
          <svg
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            role="img"
            aria-labelledby={`${id}-t ${id}-d`}
            preserveAspectRatio="xMidYMid meet"
          >
            <title id={`${id}-t`}>{title}</title>
            <title id={`${id}-t`}>{title}</title>
            <desc id={`${id}-d`}>{description}</desc>
            <YGrid y={y} format={(t) => n(t, 0)} />
            <path class="band" d={band ?? ''} />
            <path class="line" d={path ?? ''} />
            {points.map((p) => (
              <circle key={p.day} class="dot" cx={at(p)} cy={y(p.score ?? 0)} r={3.5} />
            ))}
            {first && (
              <text class="axis" x={at(first)} y={HEIGHT - 8} text-anchor="start">
                {dayLabel(locale, first.day)}
              </text>
            )}
            {last && last !== first && (
              <text class="axis" x={at(last)} y={HEIGHT - 8} text-anchor="end">
                {dayLabel(locale, last.day)}
              </text>
            )}
          </svg>
          <FiguresTable
            title={title}
            first={words.day}
            rows={points.map((p) => ({ ...p, label: dayLabel(locale, p.day) }))}
            format={n}
            words={words}
          />
        </>
      )}
    </figure>
  );
}

/** How many answers gave each score, each bar coloured (and named, in the table) by its band. */
export function DistributionChart(props: {
  readonly title: string;
  readonly distribution: Distribution;
  /** A band's colour class and its name. */
  readonly bandOf: (band: ScoreBand) => { readonly key: string; readonly name: string };
  readonly locale: Locale;
  readonly words: Words;
}) {
  const { title, distribution, bandOf, locale, words } = props;
  const id = useId();
  const n = (x: number) => number(locale, x, 0);
  const total = distribution.reduce((sum, d) => sum + d.count, 0);
  const top = Math.max(1, ...distribution.map((d) => d.count));
  const x = scaleBand<number>()
    .domain(distribution.map((d) => d.score))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .padding(0.2);
  const y = scaleLinear()
    .domain([0, top])
    .range([HEIGHT - MARGIN.bottom, MARGIN.top + 14]);
  const most = distribution.reduce(
    (a, b) => (b.count > a.count ? b : a),
    distribution[0] ?? { score: 0, count: 0 },
  );
  const description = fill(words.distributionSummary, {
    n: n(total),
    score: n(most.score),
    count: n(most.count),
  });
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-t ${id}-d`}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {distribution.map((d) => (
          <g key={d.score}>
            <rect
              class={`bar-${bandOf(d.band).key}`}
              x={x(d.score)}
              width={x.bandwidth()}
              y={y(d.count)}
              height={HEIGHT - MARGIN.bottom - y(d.count)}
            />
            <text class="axis" x={(x(d.score) ?? 0) + x.bandwidth() / 2} y={HEIGHT - 8} text-anchor="middle">
              {n(d.score)}
            </text>
            <text
              class="count"
              x={(x(d.score) ?? 0) + x.bandwidth() / 2}
              y={y(d.count) - 4}
              text-anchor="middle"
            >
              {n(d.count)}
            </text>
          </g>
        ))}
      </svg>
      <Disclosure words={words}>
        <table>
          <caption class="sr">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{words.score}</th>
              <th scope="col">{words.band}</th>
              <th scope="col">{words.answersHeader}</th>
            </tr>
          </thead>
          <tbody>
            {distribution.map((d) => (
              <tr key={d.score}>
                <th scope="row">{n(d.score)}</th>
                <td>{bandOf(d.band).name}</td>
                <td>{n(d.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Disclosure>
    </figure>
  );
}

export interface PeriodPoint {
  readonly label: string;
  readonly n: number;
  readonly score: number | null;
  readonly ci95: { readonly low: number; readonly high: number } | null;
}

/** Figures of two or more periods side by side, each a dot with the whiskers of its 95% interval. */
export function PeriodsChart(props: {
  readonly title: string;
  readonly description: string;
  readonly periods: readonly PeriodPoint[];
  readonly domain: readonly [number, number];
  readonly digits: number;
  readonly locale: Locale;
  readonly words: Words;
}) {
  const { title, description, periods, domain, digits, locale, words } = props;
  const id = useId();
  const n = (x: number, d = digits) => number(locale, x, d);
  const x = scaleBand<string>()
    .domain(periods.map((p) => p.label))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .padding(0.5);
  const y = scaleLinear()
    .domain([domain[0], domain[1]])
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const centre = (p: PeriodPoint) => (x(p.label) ?? 0) + x.bandwidth() / 2;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-t ${id}-d`}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <YGrid y={y} format={(t) => n(t, 0)} />
        {periods.map((p) => (
          <g key={p.label}>
            {p.ci95 && (
              <line class="whisker" x1={centre(p)} x2={centre(p)} y1={y(p.ci95.low)} y2={y(p.ci95.high)} />
            )}
            {p.score !== null && <circle class="dot" cx={centre(p)} cy={y(p.score)} r={6} />}
            <text class="axis" x={centre(p)} y={HEIGHT - 8} text-anchor="middle">
              {p.label}
            </text>
          </g>
        ))}
      </svg>
      <FiguresTable title={title} first={words.periodHeader} rows={periods} format={n} words={words} />
    </figure>
  );
}

/** Horizontal grid lines at the scale's round values, labelled on the left. */
function YGrid({ y, format }: { y: ScaleLinear<number, number>; format: (t: number) => string }) {
  return (
    <>
      {y.ticks(4).map((t) => (
        <g key={t} class="grid">
          <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(t)} y2={y(t)} />
          <text x={MARGIN.left - 6} y={y(t)} dy="0.32em" text-anchor="end">
            {format(t)}
          </text>
        </g>
      ))}
    </>
  );
}

/** A chart's figures as a table behind a disclosure: a row per point with its score, interval and answers. */
function FiguresTable(props: {
  readonly title: string;
  /** The first column's header: the day, or the period. */
  readonly first: string;
  readonly rows: ReadonlyArray<{ readonly label: string } & Omit<TrendPoint, 'day'>>;
  readonly format: (x: number, digits?: number) => string;
  readonly words: Words;
}) {
  const { title, first, rows, format, words } = props;
  return (
    <Disclosure words={words}>
      <table>
        <caption class="sr">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col">{words.score}</th>
            <th scope="col">{words.intervalHeader}</th>
            <th scope="col">{words.answersHeader}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>{r.score === null ? '–' : format(r.score)}</td>
              <td>{r.ci95 ? `${format(r.ci95.low)} – ${format(r.ci95.high)}` : ''}</td>
              <td>{format(r.n, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Disclosure>
  );
}

/** "Show the figures as a table": the table is made when first opened, so a screen of charts renders fast. */
function Disclosure({ words, children }: { words: Words; children: ComponentChildren }) {
  const [opened, setOpened] = useState(false);
  return (
    <details onToggle={(e) => e.currentTarget.open && setOpened(true)}>
      <summary>{words.showTable}</summary>
      {opened && children}
    </details>
  );
}
