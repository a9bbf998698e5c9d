import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { WindowName } from '#aggregation/rules/report.ts';
import type { LeagueRow, LeagueTable } from '#aggregation/rules/segments.ts';
import type { Api } from './api.ts';
import { Controls, WINDOWS, windowOf } from './controls.tsx';
import { fill, type Locale, number, type Words } from './i18n.ts';
import { useSurveys } from './surveys.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/** Where the screen is, all in its address (`/app/segments?key=city&parent=region:north&window=30d`). */
interface Place {
  readonly key?: string | undefined;
  readonly parent?: string | undefined;
  readonly window: WindowName;
  readonly question?: string | undefined;
}

const hrefOf = (p: Place) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v) q.set(k, v);
  return `/app/segments?${q}`;
};

const segmentValue = (s: string) => s.slice(s.indexOf(':') + 1);

/**
 * The Segments screen: one level of the survey's hierarchy as a league table (each value's figure this period
 * against the one before, with intervals and marks), drilling down a level at a time to a store's own figures.
 */
export function Segments({ api, locale, words }: Props) {
  const { query, route } = useLocation();
  const place: Place = {
    key: query.key || undefined,
    parent: query.parent || undefined,
    window: windowOf(query.window, '30d'),
    question: query.question || undefined,
  };
  const [table, setTable] = useState<LeagueTable | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const { surveys, surveyId, setSurveyId } = useSurveys(api, setFailure);
  const survey = surveys?.find((s) => s.id === surveyId);

  useEffect(() => {
    setTable(undefined);
  }, [surveyId]);

  useEffect(() => {
    if (!surveyId) return;
    let current = true;
    api
      .segments(surveyId, place)
      .then((t) => current && setTable(t))
      .catch((err: Error) => current && setFailure(err.message));
    return () => {
      current = false;
    };
  }, [api, surveyId, place.key, place.parent, place.window, place.question]);

  const go = (change: Partial<Place>) => route(hrefOf({ ...place, ...change }));
  const n = (x: number, digits = 0) => number(locale, x, digits);
  const digits = table?.question.type === 'ces' ? 2 : 1;

  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  if (surveys && surveys.length === 0) return <p>{words.noSurveys}</p>;
  const keys = survey
    ? [...survey.hierarchy, ...survey.segmentKeys.filter((k) => !survey.hierarchy.includes(k))]
    : [];
  const scored = survey?.questions.filter((q) => q.type !== 'text') ?? [];
  const period = words.periods[WINDOWS.indexOf(place.window)] ?? '';
  const busy =
    !!table &&
    (table.window !== place.window ||
      (place.key !== undefined && table.key !== place.key) ||
      (table.parent ?? undefined) !== place.parent);

  return (
    <section aria-labelledby="segments-title">
      <h1 id="segments-title">{words.segments}</h1>
      <p>{words.segmentsIntro}</p>
      <Controls
        surveys={surveys}
        surveyId={surveyId}
        onSurvey={(id) => {
          setSurveyId(id);
          go({ key: undefined, parent: undefined, question: undefined });
        }}
        window={place.window}
        onWindow={(w) => go({ window: w })}
        locale={locale}
        words={words}
      >
        <label>
          {words.level}
          <select
            value={table?.key ?? place.key ?? ''}
            onChange={(e) => go({ key: e.currentTarget.value, parent: undefined })}
          >
            {keys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          {words.question}
          <select
            value={table?.question.id ?? place.question ?? ''}
            onChange={(e) => go({ question: e.currentTarget.value })}
          >
            {scored.map((q) => (
              <option key={q.id} value={q.id}>
                {words[q.type as 'nps' | 'csat' | 'ces']} ({q.id})
              </option>
            ))}
          </select>
        </label>
      </Controls>
      {!table ? (
        <p aria-live="polite">…</p>
      ) : (
        <div aria-live="polite" aria-busy={busy} data-key={table.key} data-parent={table.parent ?? ''}>
          <nav aria-label={words.where} class="crumbs">
            <ol>
              <li>
                <a
                  class="crumb"
                  href={hrefOf({ window: place.window, question: place.question })}
                  aria-current={table.path.length === 0 ? 'page' : undefined}
                >
                  {words.everywhere}
                </a>
              </li>
              {table.path.map((segment, i) => {
                const key =
                  table.hierarchy[table.hierarchy.indexOf(segment.slice(0, segment.indexOf(':'))) + 1];
                return (
                  <li key={segment}>
                    <a
                      class="crumb"
                      href={hrefOf({ ...place, key, parent: segment })}
                      aria-current={i === table.path.length - 1 ? 'page' : undefined}
                    >
                      {segment}
                    </a>
                  </li>
                );
              })}
            </ol>
          </nav>
          <p class="meta">
            {table.target === null
              ? fill(words.noTarget, { n: n(table.minResponses) })
              : fill(words.targetNote, { target: n(table.target, digits), n: n(table.minResponses) })}
          </p>
          {table.rows.length === 0 ? (
            <p>{fill(words.noSegmentValues, { key: table.key })}</p>
          ) : (
            <League table={table} period={period} digits={digits} locale={locale} words={words} />
          )}
        </div>
      )}
    </section>
  );
}

function League(props: { table: LeagueTable; period: string; digits: number; locale: Locale; words: Words }) {
  const { table, digits, locale, words } = props;
  const n = (x: number, d = 0) => number(locale, x, d);
  const signed = (x: number) => (x > 0 ? `+${n(x, digits)}` : n(x, digits));
  const name = words[table.question.type];
  return (
    <div class="scroll">
      <table class="league">
        <caption>
          {fill(words.leagueCaption, { key: table.key, question: name, period: props.period })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{words.rankHeader}</th>
            <th scope="col">{table.key}</th>
            <th scope="col">{words.score}</th>
            <th scope="col">{words.answersHeader}</th>
            <th scope="col">{words.changeHeader}</th>
            <th scope="col">{words.marksHeader}</th>
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.segment} data-segment={row.segment} class={marked(row) ? 'marked' : undefined}>
              <td>{row.rank ?? '–'}</td>
              <th scope="row">
                <SegmentLink table={table} row={row} words={words} />
              </th>
              <td>
                {row.score === null ? '–' : n(row.score, digits)}
                {row.ci95 && (
                  <span class="ci">
                    {' '}
                    ({n(row.ci95.low, digits)} – {n(row.ci95.high, digits)})
                  </span>
                )}
              </td>
              <td>{n(row.n)}</td>
              <td>
                {row.change ? (
                  <>
                    {signed(row.change.value)}
                    <span class="ci">
                      {' '}
                      ({signed(row.change.ci95.low)} – {signed(row.change.ci95.high)})
                    </span>
                  </>
                ) : (
                  words.noChange
                )}
              </td>
              <td>
                <ul class="marks">
                  {row.tooFew && <li class="few">{words.tooFew}</li>}
                  {row.belowTarget && table.target !== null && (
                    <li class="bad">{fill(words.belowTarget, { target: n(table.target, digits) })}</li>
                  )}
                  {row.belowPrevious && <li class="bad">{words.belowPrevious}</li>}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const marked = (row: LeagueRow) => row.belowTarget || row.belowPrevious;

/** A level with one below it drills down; the last level (and a key outside the hierarchy) opens its figures. */
function SegmentLink({ table, row, words }: { table: LeagueTable; row: LeagueRow; words: Words }) {
  if (table.childKey) {
    const href = hrefOf({
      key: table.childKey,
      parent: row.segment,
      window: table.window,
      question: table.question.id,
    });
    return (
      <a class="to" href={href} aria-label={fill(words.drillInto, { value: row.value, key: table.childKey })}>
        {segmentValue(row.segment)}
      </a>
    );
  }
  return (
    <a
      class="to"
      href={`/app/?segment=${encodeURIComponent(row.segment)}`}
      aria-label={fill(words.figuresOf, { segment: row.segment })}
    >
      {row.value}
    </a>
  );
}
