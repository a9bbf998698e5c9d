import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { MetricsReport, WindowName } from '#aggregation/rules/report.ts';
import type { LoopFigures } from '#loop/rules/loop-metrics.ts';
import { useMay } from './access.ts';
import type { Api } from './api.ts';
import { dateText, fill, type Locale, number, type Words } from './i18n.ts';

/** Seconds between refreshes: a minute unless `?every=` says otherwise, never under 10 (the API's cost). */
const DEFAULT_EVERY = 60;
const MIN_EVERY = 10;

const everyOf = (raw: string | undefined) => {
  const s = Number.parseInt(raw ?? '', 10);
  return Number.isFinite(s) ? Math.min(3600, Math.max(MIN_EVERY, s)) : DEFAULT_EVERY;
};
const windowOf = (raw: string | undefined): WindowName => (raw === '30d' || raw === '90d' ? raw : '7d');

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/**
 * The wall: one survey's headline figures in large type for a screen in a store or an office, refreshed on its
 * own (`/app/wall?survey=demo&window=7d&every=60`). It keeps the last figures on screen when a refresh fails.
 */
export function Wall({ api, locale, words }: Props) {
  const { query } = useLocation();
  const every = everyOf(query.every);
  const window = windowOf(query.window);
  const [surveyId, setSurveyId] = useState(query.survey ?? '');
  const [report, setReport] = useState<MetricsReport | undefined>();
  const [loop, setLoop] = useState<LoopFigures | undefined>();
  const [updatedAt, setUpdatedAt] = useState<Date | undefined>();
  const [stale, setStale] = useState(false);
  const seesCases = useMay()('pulso/cases.read');

  useEffect(() => {
    if (surveyId) return;
    api
      .surveys()
      .then(({ items }) => setSurveyId(items[0]?.id ?? ''))
      .catch(() => setStale(true));
  }, [api, surveyId]);

  useEffect(() => {
    if (!surveyId) return;
    const refresh = async () => {
      try {
        const [r, l] = await Promise.all([
          api.metrics(surveyId, window, 'day'),
          seesCases ? api.loopMetrics(surveyId, window) : undefined,
        ]);
        setReport(r);
        setLoop(l?.total);
        setUpdatedAt(new Date());
        setStale(false);
      } catch {
        setStale(true);
      }
    };
    void refresh();
    const timer = setInterval(refresh, every * 1000);
    return () => clearInterval(timer);
  }, [api, surveyId, window, every, seesCases]);

  const n = (x: number, digits = 0) => number(locale, x, digits);
  const tiles = report
    ? [
        report.nps && {
          key: 'nps',
          name: words.nps,
          figure: report.nps.score,
          n: report.nps.n,
          digits: 1,
          unit: '',
        },
        report.csat && {
          key: 'csat',
          name: words.csat,
          figure: report.csat.score,
          n: report.csat.n,
          digits: 1,
          unit: '%',
        },
        report.ces && {
          key: 'ces',
          name: words.ces,
          figure: report.ces.mean,
          n: report.ces.n,
          digits: 2,
          unit: '',
        },
      ].filter((t) => t !== null)
    : [];
  return (
    <main class="wall" aria-labelledby="wall-title">
      <h1 id="wall-title">
        {fill(words.wallTitle, { period: words.periods[['7d', '30d', '90d'].indexOf(window)] ?? '' })}
      </h1>
      <div class="tiles" aria-live="polite">
        {tiles.map((t) => (
          <section key={t.key} class="tile" data-metric={t.key} aria-label={t.name}>
            <h2>{t.name}</h2>
            <p class="figure">{t.figure === null ? '–' : `${n(t.figure, t.digits)}${t.unit}`}</p>
            <p class="n">{fill(words.answers, { n: n(t.n) })}</p>
          </section>
        ))}
        {loop && (
          <section class="tile" data-metric="cases" aria-label={words.cases}>
            <h2>{words.cases}</h2>
            <p class="figure">{n(loop.open)}</p>
            <p class={loop.overdue > 0 ? 'n late' : 'n'}>
              {fill(words.overdueCases, { n: n(loop.overdue) })}
            </p>
          </section>
        )}
      </div>
      <p class="updated">
        {updatedAt &&
          fill(words.updatedAt, {
            time: dateText(locale, updatedAt, 'time'),
          })}
        {stale && ` · ${words.refreshFailed}`}
      </p>
    </main>
  );
}
