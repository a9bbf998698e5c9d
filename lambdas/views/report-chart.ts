import { PassThrough } from 'node:stream';
import * as PImage from 'pureimage';
import { DAY_MS } from '#kernel/days.ts';
import type { Interval } from '#kernel/metrics.ts';

/**
 * The trend chart of a report as a PNG, since mail clients show PNG images (attached inline, `cid:`) but many
 * refuse SVG. Drawn with pureimage (the canvas 2D API in plain JavaScript, no native code) at twice the size it is
 * shown, for sharp lines on phones. It holds no text: the email says what it shows beside it (the scale, the
 * period, each point in a table), so every reader and every screen reader gets the same figures.
 */

export interface ChartPoint {
  readonly day: string;
  readonly score: number | null;
  readonly ci95: Interval | null;
}

export interface TrendChartInput {
  readonly points: readonly ChartPoint[];
  /** The first and last day of the chart's x axis. */
  readonly from: string;
  readonly to: string;
  /** The y axis: the lowest and highest value it shows. */
  readonly scale: { readonly min: number; readonly max: number };
  /** A line across at the team's target, when there is one. */
  readonly target?: number | undefined;
}

/** Shown this size in the email (CSS pixels); drawn at twice that. */
export const CHART_WIDTH = 560;
export const CHART_HEIGHT = 160;
const DENSITY = 2;
const PAD = 8 * DENSITY;

const COLORS = {
  background: '#ffffff',
  grid: '#e3e5e8',
  zero: '#9aa0a6',
  band: 'rgba(11,87,208,0.18)',
  line: '#0b57d0',
  target: '#b06000',
} as const;

/**
 * The y axis of a figure: NPS -100 to 100, CSAT 0 to 100, CES its scale; narrowed to the points and their
 * intervals (with a margin) so a few points of change show, never beyond the figure's own range.
 */
export function chartScale(
  range: { readonly min: number; readonly max: number },
  points: readonly ChartPoint[],
  target?: number,
): { min: number; max: number } {
  const values = points.flatMap((p) => [p.score, p.ci95?.low, p.ci95?.high]).filter((v) => v != null);
  if (target !== undefined) values.push(target);
  if (values.length === 0) return { ...range };
  const span = range.max - range.min;
  const low = Math.min(...values);
  const high = Math.max(...values);
  const margin = Math.max((high - low) * 0.1, span * 0.05);
  const step = span >= 100 ? 10 : 0.5;
  return {
    min: Math.max(range.min, Math.floor((low - margin) / step) * step),
    max: Math.min(range.max, Math.ceil((high + margin) / step) * step),
  };
}

/** The chart as PNG bytes. */
export async function trendChartPng(input: TrendChartInput): Promise<Buffer> {
  const width = CHART_WIDTH * DENSITY;
  const height = CHART_HEIGHT * DENSITY;
  const image = PImage.make(width, height);
  const ctx = image.getContext('2d');
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, width, height);

  const first = Date.parse(`${input.from}T00:00:00Z`);
  const days = Math.max(1, (Date.parse(`${input.to}T00:00:00Z`) - first) / DAY_MS);
  const x = (day: string) =>
    PAD + ((Date.parse(`${day}T00:00:00Z`) - first) / DAY_MS / days) * (width - 2 * PAD);
  const { min, max } = input.scale;
  const y = (v: number) => height - PAD - ((v - min) / (max - min || 1)) * (height - 2 * PAD);
  const across = (v: number, color: string, lineWidth: number) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = lineWidth;
    ctx.beginPath();
    ctx.moveTo(PAD, y(v));
    ctx.lineTo(width - PAD, y(v));
    ctx.stroke();
  };
  for (let i = 0; i <= 4; i++) across(min + ((max - min) * i) / 4, COLORS.grid, DENSITY);
  if (min < 0 && max > 0) across(0, COLORS.zero, DENSITY);
  if (input.target !== undefined && input.target >= min && input.target <= max)
    across(input.target, COLORS.target, 1.5 * DENSITY);

  const shown = input.points.filter((p): p is ChartPoint & { score: number } => p.score !== null);
  const banded = shown.filter((p): p is typeof p & { ci95: Interval } => p.ci95 !== null);
  if (banded.length > 1) {
    ctx.fillStyle = COLORS.band;
    ctx.beginPath();
    banded.forEach((p, i) => {
      const at = [x(p.day), y(Math.min(max, p.ci95.high))] as const;
      if (i === 0) ctx.moveTo(...at);
      else ctx.lineTo(...at);
    });
    for (const p of [...banded].reverse()) ctx.lineTo(x(p.day), y(Math.max(min, p.ci95.low)));
    ctx.closePath();
    ctx.fill();
  }
  ctx.strokeStyle = COLORS.line;
  ctx.fillStyle = COLORS.line;
  ctx.lineWidth = 2 * DENSITY;
  if (shown.length > 1) {
    ctx.beginPath();
    shown.forEach((p, i) => {
      if (i === 0) ctx.moveTo(x(p.day), y(p.score));
      else ctx.lineTo(x(p.day), y(p.score));
    });
    ctx.stroke();
  }
  for (const p of shown) {
    ctx.beginPath();
    ctx.arc(x(p.day), y(p.score), 3 * DENSITY, 0, Math.PI * 2);
    ctx.fill();
  }

  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await PImage.encodePNGToStream(image, out);
  return Buffer.concat(chunks);
}
