import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { MetricsReport, WindowName } from '#aggregation/rules/report.ts';
import type { Campaign } from '#invitations/rules/campaigns.ts';
import type { CampaignReach, ReachCounts } from '#invitations/rules/reach.ts';
import type { Interval } from '#kernel/metrics.ts';
import type { LoopFigures } from '#loop/rules/loop-metrics.ts';
import { useMay } from './access.ts';
import type { Api } from './api.ts';
import { BANDS } from './bands.ts';
import { DistributionChart, TrendChart } from './charts.tsx';
import { Controls, splitSegment } from './controls.tsx';
import { fill, type Locale, number, type Words } from './i18n.ts';
import { useSurveys } from './surveys.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/** The cases card shows these two; a segment without cases has none of either. */
type CaseCounts = Pick<LoopFigures, 'open' | 'overdue'>;
const NO_CASES: CaseCounts = { open: 0, overdue: 0 };

/** A point a day for a week or a month; a point a week for 90 days. */
const trendStepOf = (window: WindowName) => (window === '90d' ? 'week' : 'day');

/**
 * The overview: a survey's NPS, CSAT and CES over a period, each with its answers and 95% interval, its trend
 * with the interval band and its score distribution; and the survey's open and overdue cases.
 */
export function Overview({ api, locale, words }: Props) {
  // `?segment=store:s-001` (from the Segments screen) narrows every figure to that segment value.
  const segment = useLocation().query.segment || undefined;
  const [window, setWindow] = useState<WindowName>('7d');
  const [report, setReport] = useState<MetricsReport | undefined>();
  const [loop, setLoop] = useState<CaseCounts | undefined>();
  const [reach, setReach] = useState<readonly CampaignReachOf[] | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const { surveys, surveyId, setSurveyId } = useSurveys(api, setFailure);
  const may = useMay();
  const seesCases = may('pulso/cases.read');
  const seesCampaigns = may('pulso/campaigns.read');

  // Another survey clears the screen; another period keeps the figures shown (marked busy) until the new ones come.
  useEffect(() => {
    setReport(undefined);
    setLoop(undefined);
    setReach(undefined);
  }, [surveyId, segment]);

  useEffect(() => {
    if (!surveyId) return;
    // An answer for a period or survey the person has left behind is dropped.
    let current = true;
    const fail = (err: Error) => current && setFailure(err.message);
    api
      .metrics(surveyId, window, trendStepOf(window), segment)
      .then((r) => current && setReport(r))
      .catch(fail);
    const [key, value] = splitSegment(segment);
    if (seesCases)
      api
        .loopMetrics(surveyId, window, key)
        .then(({ total, groups }) => {
          if (!current) return;
          setLoop(key ? (groups.find((g) => g.value === value)?.figures ?? NO_CASES) : total);
        })
        .catch(fail);
    if (seesCampaigns)
      sendingCampaigns(api, surveyId)
        .then((r) => current && setReach(r))
        .catch(fail);
    return () => {
      current = false;
    };
  }, [api, surveyId, window, segment, seesCases, seesCampaigns]);

  const n = (x: number, digits = 0) => number(locale, x, digits);

  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  if (surveys && surveys.length === 0) return <p>{words.noSurveys}</p>;

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{words.overview}</h1>
      {segment && (
        <p class="scope">
          {fill(words.figuresOf, { segment })} ·{' '}
          {may('pulso/responses.read') && (
            <>
              <a href={`/app/comments?${new URLSearchParams({ window, segment })}`}>{words.readComments}</a> ·{' '}
            </>
          )}
          <a href="/app/">{words.allAnswers}</a>
        </p>
      )}
      <Controls
        surveys={surveys}
        surveyId={surveyId}
        onSurvey={setSurveyId}
        window={window}
        onWindow={setWindow}
        locale={locale}
        words={words}
      />
      {!report ? (
        <p aria-live="polite">…</p>
      ) : (
        <div
          class="cards"
          aria-live="polite"
          aria-busy={report.window !== window}
          data-window={report.window}
        >
          <Headlines report={report} locale={locale} words={words} />
          {loop && (
            <article class="card" aria-labelledby="cases-title" data-metric="cases">
              <h2 id="cases-title">{words.cases}</h2>
              <p class="figure">{n(loop.open)}</p>
              <p class="n">{fill(words.openCases, { n: n(loop.open) })}</p>
              <p>
                <a href="/app/cases?overdue=true" class={loop.overdue > 0 ? 'late' : undefined}>
                  {fill(words.overdueCases, { n: n(loop.overdue) })}
                </a>
              </p>
              <p>
                <a href="/app/cases">{words.casesInbox}</a>
              </p>
            </article>
          )}
        </div>
      )}
      {reach && reach.length > 0 && <Reach reach={reach} locale={locale} words={words} />}
      {report && <Details report={report} locale={locale} words={words} />}
    </section>
  );
}

/** The headline cards: NPS (with its mix), CSAT and CES of the report, each with its answers and 95% interval. */
export function Headlines({
  report,
  locale,
  words,
}: {
  report: MetricsReport;
  locale: Locale;
  words: Words;
}) {
  const n = (x: number, digits = 0) => number(locale, x, digits);
  const interval = (ci: Interval | null, digits = 0) =>
    ci ? fill(words.interval, { low: n(ci.low, digits), high: n(ci.high, digits) }) : '';
  return (
    <>
      {report.nps && (
        <article class="card" aria-labelledby="nps-title" data-metric="nps">
          <h2 id="nps-title">{words.nps}</h2>
          {report.nps.score === null ? (
            <p>{words.noAnswers}</p>
          ) : (
            <>
              <p class="figure">{n(report.nps.score, 1)}</p>
              <p class="n">{fill(words.answers, { n: n(report.nps.n) })}</p>
              <p class="ci">{interval(report.nps.ci95, 1)}</p>
              <Mix words={words} n={n} nps={report.nps} />
            </>
          )}
        </article>
      )}
      {report.csat && (
        <article class="card" aria-labelledby="csat-title" data-metric="csat">
          <h2 id="csat-title">{words.csat}</h2>
          {report.csat.score === null ? (
            <p>{words.noAnswers}</p>
          ) : (
            <>
              <p class="figure">{n(report.csat.score, 1)}%</p>
              <p class="n">{fill(words.answers, { n: n(report.csat.n) })}</p>
              <p class="ci">{interval(report.csat.ci95, 1)}</p>
            </>
          )}
        </article>
      )}
      {report.ces && (
        <article class="card" aria-labelledby="ces-title" data-metric="ces">
          <h2 id="ces-title">{words.ces}</h2>
          {report.ces.mean === null ? (
            <p>{words.noAnswers}</p>
          ) : (
            <>
              <p class="figure">
                {n(report.ces.mean, 2)} <small>/ {report.ces.scale}</small>
              </p>
              <p class="n">{fill(words.answers, { n: n(report.ces.n) })}</p>
              <p class="ci">{interval(report.ces.meanCi95, 2)}</p>
              {report.ces.lowEffortPct !== null && (
                <p>{fill(words.lowEffort, { pct: n(report.ces.lowEffortPct) })}</p>
              )}
            </>
          )}
        </article>
      )}
    </>
  );
}

interface CampaignReachOf {
  readonly campaign: Campaign;
  readonly reach: CampaignReach;
}

/** The survey's campaigns that are sending (the newest three), each with its reach so far. */
async function sendingCampaigns(api: Api, surveyId: string): Promise<CampaignReachOf[]> {
  const { items } = await api.campaigns();
  const sending = items.filter((c) => c.surveyId === surveyId && c.status === 'sending').slice(0, 3);
  return Promise.all(
    sending.map(async (campaign) => ({ campaign, reach: await api.reach(campaign.campaignId) })),
  );
}

/** How far each sending campaign got: invited, delivered, answered, and the response rate with its interval. */
function Reach({
  reach,
  locale,
  words,
}: {
  reach: readonly CampaignReachOf[];
  locale: Locale;
  words: Words;
}) {
  return (
    <section class="reach" aria-labelledby="reach-title">
      <h2 id="reach-title">{words.campaignsSending}</h2>
      {reach.map(({ campaign, reach: { total } }) => (
        <article key={campaign.campaignId} class="card" data-campaign={campaign.campaignId}>
          <h3>{campaign.name}</h3>
          <ReachFacts counts={total} locale={locale} words={words} />
        </article>
      ))}
    </section>
  );
}

/** Invited, delivered, answered, and the response rate with its 95% interval. */
export function ReachFacts({ counts, locale, words }: { counts: ReachCounts; locale: Locale; words: Words }) {
  const n = (x: number, digits = 0) => number(locale, x, digits);
  const pct = (x: number) => n(100 * x, 1);
  return (
    <dl class="facts">
      <dt>{words.invited}</dt>
      <dd data-count="invited">{n(counts.invited)}</dd>
      <dt>{words.delivered}</dt>
      <dd>{n(counts.delivered)}</dd>
      <dt>{words.completed}</dt>
      <dd>{n(counts.completed)}</dd>
      <dt>{words.responseRate}</dt>
      <dd>
        {counts.responseRate === null ? '–' : `${pct(counts.responseRate)}%`}
        {counts.responseRateCi95 && (
          <span class="ci">
            {' '}
            ({pct(counts.responseRateCi95.low)}–{pct(counts.responseRateCi95.high)}%)
          </span>
        )}
      </dd>
    </dl>
  );
}

/** Per headline question: its trend with the interval band, and how its answers spread over the scale. */
export function Details({ report, locale, words }: { report: MetricsReport; locale: Locale; words: Words }) {
  const shown = (['nps', 'csat', 'ces'] as const).flatMap((type) => {
    const entry = Object.entries(report.questions).find(([, f]) => f.type === type);
    return entry ? [{ type, id: entry[0], figure: entry[1] }] : [];
  });
  return (
    <div class="details">
      {shown.map(({ type, id, figure }) => {
        const domain: [number, number] =
          figure.type === 'nps' ? [-100, 100] : figure.type === 'csat' ? [0, 100] : [1, figure.scale];
        const name = words[type];
        return (
          <section key={id} class="detail" aria-label={name} data-question={id}>
            <h2>{name}</h2>
            <TrendChart
              title={fill(report.trendStep === 'week' ? words.trendWeekly : words.trendDaily, { name })}
              points={report.trend.map((t) => ({
                day: t.day,
                ...(t.questions[id] ?? { n: 0, score: null, ci95: null }),
              }))}
              domain={domain}
              digits={figure.type === 'ces' ? 2 : 1}
              locale={locale}
              words={words}
            />
            <DistributionChart
              title={fill(words.distribution, { name })}
              distribution={figure.distribution}
              bandOf={(band) => ({ key: BANDS[band].key, name: String(words[BANDS[band].word]) })}
              locale={locale}
              words={words}
            />
          </section>
        );
      })}
    </div>
  );
}

/** Promoters, passives and detractors as one bar, with the counts as text (the bar is decoration). */
function Mix({
  words,
  n,
  nps,
}: {
  words: Words;
  n: (x: number) => string;
  nps: { promoters: number; passives: number; detractors: number; n: number };
}) {
  const share = (x: number) => `${(100 * x) / nps.n}%`;
  return (
    <figure class="mix">
      <figcaption>{words.mix}</figcaption>
      <div class="bar" aria-hidden="true">
        <span class="p" style={{ width: share(nps.promoters) }} />
        <span class="a" style={{ width: share(nps.passives) }} />
        <span class="d" style={{ width: share(nps.detractors) }} />
      </div>
      <dl>
        <dt>{words.promoters}</dt>
        <dd>{n(nps.promoters)}</dd>
        <dt>{words.passives}</dt>
        <dd>{n(nps.passives)}</dd>
        <dt>{words.detractors}</dt>
        <dd>{n(nps.detractors)}</dd>
      </dl>
    </figure>
  );
}
