import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { SentimentFigure, ThemeFigure } from '#aggregation/rules/comments.ts';
import type { MetricsReport } from '#aggregation/rules/report.ts';
import type { EmergingPhrasesReport } from '#insight/use-cases/emerging-phrases.ts';
import { SENTIMENTS } from '#kernel/analysis.ts';
import { useMay } from './access.ts';
import type { Api } from './api.ts';
import { Controls, PlaceFields, usePlace, WINDOWS, windowOf } from './controls.tsx';
import { fill, type Locale, number, type Words } from './i18n.ts';
import { useSurveys } from './surveys.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/**
 * The Themes screen: what the period's comments said (their sentiments) and what they talk about, each theme with
 * how often it came up and its impact on NPS, the NPS of those who mention it against the others', with the 95%
 * interval of the difference. `/app/themes?window=30d&segment=store:s-001`.
 */
export function Themes({ api, locale, words }: Props) {
  const { query, route } = useLocation();
  const window = windowOf(query.window, '30d');
  const segment = query.segment || undefined;
  const [failure, setFailure] = useState<string | undefined>();
  const { surveys, surveyId, setSurveyId } = useSurveys(api, setFailure);
  const survey = surveys?.find((s) => s.id === surveyId);
  const [report, setReport] = useState<MetricsReport | undefined>();
  const [phrases, setPhrases] = useState<EmergingPhrasesReport | undefined>();
  const may = useMay();
  const readsComments = may('pulso/responses.read');
  const where = usePlace(segment);

  useEffect(() => {
    if (!surveyId) return;
    let current = true;
    api
      .metrics(surveyId, window, 'week', segment)
      .then((r) => current && setReport(r))
      .catch((err: Error) => current && setFailure(err.message));
    // Rising phrases come from the comments themselves: for those who may read them.
    if (readsComments)
      api
        .phrases(surveyId, window, segment)
        .then((p) => current && setPhrases(p))
        .catch((err: Error) => current && setFailure(err.message));
    return () => {
      current = false;
    };
  }, [api, surveyId, window, segment, readsComments]);

  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  if (surveys && surveys.length === 0) return <p>{words.noSurveys}</p>;
  const go = (change: { window?: string; segment?: string | undefined }) => {
    const q = new URLSearchParams({ window: change.window ?? window });
    const s = 'segment' in change ? change.segment : segment;
    if (s) q.set('segment', s);
    route(`/app/themes?${q}`);
  };
  const period = words.periods[WINDOWS.indexOf(window)] ?? '';
  const commentsOf = (theme?: string) => {
    const q = new URLSearchParams({ window });
    if (segment) q.set('segment', segment);
    if (theme) q.set('theme', theme);
    return `/app/comments?${q}`;
  };

  return (
    <section aria-labelledby="themes-title">
      <h1 id="themes-title">{words.themes}</h1>
      <p>{words.themesIntro}</p>
      <Controls
        surveys={surveys}
        surveyId={surveyId}
        onSurvey={(id) => {
          setReport(undefined);
          setSurveyId(id);
          go({ segment: undefined });
        }}
        window={window}
        onWindow={(w) => go({ window: w })}
        locale={locale}
        words={words}
      />
      {survey && (
        <search>
          <form
            class="controls filters"
            onSubmit={(e) => {
              e.preventDefault();
              go({ segment: where.segment });
            }}
          >
            <PlaceFields api={api} survey={survey} place={where} listId="theme-places" words={words} />
            <button type="submit">{words.search}</button>
          </form>
        </search>
      )}
      {!report || report.surveyId !== surveyId ? (
        <p aria-live="polite">…</p>
      ) : (
        <div aria-live="polite" aria-busy={report.window !== window} data-window={report.window}>
          {report.sentiment.n === 0 ? (
            <p>{words.noCommentsRead}</p>
          ) : (
            <>
              <SentimentTable figure={report.sentiment} period={period} locale={locale} words={words} />
              <ThemesTable
                themes={report.themes}
                period={period}
                locale={locale}
                words={words}
                commentsOf={readsComments ? commentsOf : undefined}
              />
            </>
          )}
          {phrases && phrases.surveyId === surveyId && (
            <section aria-labelledby="emerging-title" class="emerging">
              <h2 id="emerging-title">{words.emergingTitle}</h2>
              <p>{words.emergingIntro}</p>
              {phrases.phrases.length === 0 ? (
                <p>{words.noEmerging}</p>
              ) : (
                <ul>
                  {phrases.phrases.map((p) => (
                    <li key={p.phrase} data-phrase={p.phrase}>
                      <a href={`${commentsOf()}&${new URLSearchParams({ q: p.phrase })}`}>
                        {fill(words.emergingRow, {
                          phrase: p.phrase,
                          n: number(locale, p.comments),
                          previous: number(locale, p.previous),
                        })}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
        </div>
      )}
    </section>
  );
}

function SentimentTable(props: { figure: SentimentFigure; period: string; locale: Locale; words: Words }) {
  const { figure, locale, words } = props;
  return (
    <table class="sentiment">
      <caption>{fill(words.sentimentCaption, { n: number(locale, figure.n), period: props.period })}</caption>
      <thead>
        <tr>
          <th scope="col">{words.sentimentLabel}</th>
          <th scope="col">{words.mentionsHeader}</th>
          <th scope="col">{words.shareHeader}</th>
        </tr>
      </thead>
      <tbody>
        {SENTIMENTS.map((s) => (
          <tr key={s} data-sentiment={s}>
            <th scope="row">{words.sentimentWord[s]}</th>
            <td>{number(locale, figure[s])}</td>
            <td>
              <span class={`bar sentiment-${s}`} style={{ width: `${(10 * figure[s]) / figure.n}rem` }} />
              {number(locale, (100 * figure[s]) / figure.n, 1)}%
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ThemesTable(props: {
  themes: readonly ThemeFigure[];
  period: string;
  locale: Locale;
  words: Words;
  commentsOf: ((theme: string) => string) | undefined;
}) {
  const { locale, words } = props;
  const n = (x: number | null, digits = 0) => (x === null ? '–' : number(locale, x, digits));
  // Most talked-about first; themes nobody mentioned in the period are left out.
  const themes = props.themes.filter((t) => t.comments > 0).sort((a, b) => b.comments - a.comments);
  return (
    <table class="themes">
      <caption>{fill(words.themesCaption, { period: props.period })}</caption>
      <thead>
        <tr>
          <th scope="col">{words.themeHeader}</th>
          <th scope="col">{words.mentionsHeader}</th>
          <th scope="col">{words.shareHeader}</th>
          <th scope="col">{words.npsMentioningHeader}</th>
          <th scope="col">{words.npsOthersHeader}</th>
          <th scope="col">{words.impactHeader}</th>
          {props.commentsOf && <td />}
        </tr>
      </thead>
      <tbody>
        {themes.map((t) => {
          const clear = t.impact && (t.impact.ci95.high < 0 || t.impact.ci95.low > 0);
          return (
            <tr key={t.id} data-theme={t.id}>
              <th scope="row">{t.name}</th>
              <td>{n(t.comments)}</td>
              <td>{t.sharePct === null ? '–' : `${n(t.sharePct, 1)}%`}</td>
              <td>{n(t.npsMentioning, 1)}</td>
              <td>{n(t.npsOthers, 1)}</td>
              <td class={clear ? (t.impact && t.impact.value < 0 ? 'late' : 'good') : undefined}>
                {t.impact ? (
                  <>
                    {fill(words.impactCell, {
                      value: n(t.impact.value, 1),
                      low: n(t.impact.ci95.low, 1),
                      high: n(t.impact.ci95.high, 1),
                    })}
                    {clear && <> · {words.impactClear}</>}
                  </>
                ) : (
                  words.noImpact
                )}
              </td>
              {props.commentsOf && (
                <td>
                  <a href={props.commentsOf(t.id)} aria-label={`${words.readThemeComments}: ${t.name}`}>
                    {words.readThemeComments}
                  </a>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
