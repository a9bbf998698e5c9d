import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { ListedResponse, ResponsePage } from '#insight/rules/responses.ts';
import { SENTIMENTS } from '#kernel/analysis.ts';
import { BANDS_OF } from '#kernel/bands.ts';
import type { Survey, Theme } from '#kernel/survey.ts';
import { themesOf } from '#kernel/themes.ts';
import type { Api, CommentFilter } from './api.ts';
import { BANDS } from './bands.ts';
import { Controls, PlaceFields, splitSegment, usePlace, windowOf } from './controls.tsx';
import { dateText, fill, type Locale, number, type Words } from './i18n.ts';
import { useSurveys } from './surveys.ts';

/** A theme's name in the person's language, else in English, else its id. */
export const themeName = (t: Theme, locale: Locale) => t.name?.[locale] ?? t.name?.en ?? t.id;

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/** Everything the screen shows is in its address: `/app/comments?window=30d&segment=store:a1&band=nps:detractor&q=`. */
const hrefOf = (f: CommentFilter) => {
  const q = new URLSearchParams();
  q.set('window', f.window);
  if (f.segment) q.set('segment', f.segment);
  if (f.band && f.question) q.set('band', `${f.question}:${f.band}`);
  if (f.q) q.set('q', f.q);
  if (f.theme) q.set('theme', f.theme);
  if (f.sentiment) q.set('sentiment', f.sentiment);
  return `/app/comments?${q}`;
};

/**
 * The Comments screen: what customers wrote, newest first, by period, place, score band and words, each comment
 * with its scores and where it was given, and a link to the case it opened.
 */
export function Comments({ api, locale, words }: Props) {
  const { query, route } = useLocation();
  const [question, band] = splitSegment(query.band);
  const filter: CommentFilter = {
    window: windowOf(query.window, '30d'),
    segment: query.segment || undefined,
    question,
    band,
    q: query.q || undefined,
    theme: query.theme || undefined,
    sentiment: SENTIMENTS.find((s) => s === query.sentiment),
  };
  const [failure, setFailure] = useState<string | undefined>();
  const { surveys, surveyId, setSurveyId } = useSurveys(api, setFailure);
  const survey = surveys?.find((s) => s.id === surveyId);
  const [items, setItems] = useState<readonly ListedResponse[] | undefined>();
  const [last, setLast] = useState<ResponsePage | undefined>();
  const [loading, setLoading] = useState(false);

  const read = async (cursor?: string) => {
    setLoading(true);
    try {
      const page = await api.responses(surveyId, { ...filter, cursor });
      setItems((before) => [...(cursor ? (before ?? []) : []), ...page.items]);
      setLast(page);
    } catch (err) {
      setFailure((err as Error).message);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    if (!surveyId) return;
    setItems(undefined);
    void read();
  }, [
    api,
    surveyId,
    filter.window,
    filter.segment,
    filter.question,
    filter.band,
    filter.q,
    filter.theme,
    filter.sentiment,
  ]);

  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  if (surveys && surveys.length === 0) return <p>{words.noSurveys}</p>;
  const go = (change: Partial<CommentFilter>) => route(hrefOf({ ...filter, ...change }));

  return (
    <section aria-labelledby="comments-title">
      <h1 id="comments-title">{words.comments}</h1>
      <p>{words.commentsIntro}</p>
      <Controls
        surveys={surveys}
        surveyId={surveyId}
        onSurvey={(id) => {
          setSurveyId(id);
          go({ segment: undefined, question: undefined, band: undefined, theme: undefined });
        }}
        window={filter.window}
        onWindow={(w) => go({ window: w })}
        locale={locale}
        words={words}
      />
      {survey && (
        <Filters
          key={hrefOf(filter)}
          api={api}
          survey={survey}
          filter={filter}
          go={go}
          locale={locale}
          words={words}
        />
      )}
      {!items ? (
        <p aria-live="polite">…</p>
      ) : (
        <div aria-live="polite" aria-busy={loading}>
          <p class="meta">
            {fill(words.commentsShown, { n: number(locale, items.length) })}
            {last?.readTo && last.cursor && (
              <> · {fill(words.readTo, { date: dateText(locale, new Date(last.readTo), 'moment') })}</>
            )}
          </p>
          {items.length === 0 && !last?.cursor ? <p>{words.noComments}</p> : null}
          <ol class="comments">
            {items.map((r) => (
              <Comment key={r.submissionId} response={r} survey={survey} locale={locale} words={words} />
            ))}
          </ol>
          {last?.cursor && (
            <button type="button" disabled={loading} onClick={() => void read(last.cursor)}>
              {items.length === 0 || last.items.length === 0 ? words.readFurther : words.more}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

/** Where, which score band and which words: applied together when the form is sent. */
function Filters(props: {
  api: Api;
  survey: Survey;
  filter: CommentFilter;
  go: (change: Partial<CommentFilter>) => void;
  locale: Locale;
  words: Words;
}) {
  const { api, survey, filter, locale, words } = props;
  const [theme, setTheme] = useState(filter.theme ?? '');
  const [sentiment, setSentiment] = useState<string>(filter.sentiment ?? '');
  const where = usePlace(filter.segment);
  const [band, setBand] = useState(filter.band ? `${filter.question}:${filter.band}` : '');
  const [text, setText] = useState(filter.q ?? '');
  const bands = survey.questions.flatMap((q) =>
    q.type === 'text' ? [] : BANDS_OF[q.type].map((b) => ({ value: `${q.id}:${b}`, question: q, band: b })),
  );
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const [question, chosen] = splitSegment(band);
    props.go({
      segment: where.segment,
      question,
      band: chosen,
      q: text.trim() || undefined,
      theme: theme || undefined,
      sentiment: SENTIMENTS.find((s) => s === sentiment),
    });
  };
  return (
    <search>
      <form class="controls filters" onSubmit={onSubmit}>
        <PlaceFields api={api} survey={survey} place={where} listId="place-values" words={words} />
        <label>
          {words.score}
          <select name="band" value={band} onChange={(e) => setBand(e.currentTarget.value)}>
            <option value="">{words.anyBand}</option>
            {bands.map((b) => (
              <option key={b.value} value={b.value}>
                {words[b.question.type]} ({b.question.id}): {String(words[BANDS[b.band].word])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {words.themeLabel}
          <select name="theme" value={theme} onChange={(e) => setTheme(e.currentTarget.value)}>
            <option value="">{words.anyTheme}</option>
            {themesOf(survey).map((t) => (
              <option key={t.id} value={t.id}>
                {themeName(t, locale)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {words.sentimentLabel}
          <select name="sentiment" value={sentiment} onChange={(e) => setSentiment(e.currentTarget.value)}>
            <option value="">{words.anySentiment}</option>
            {SENTIMENTS.map((s) => (
              <option key={s} value={s}>
                {words.sentimentWord[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {words.searchWords}
          <input
            type="search"
            name="q"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            maxLength={200}
          />
        </label>
        <button type="submit">{words.search}</button>
      </form>
    </search>
  );
}

function Comment(props: {
  response: ListedResponse;
  survey: Survey | undefined;
  locale: Locale;
  words: Words;
}) {
  const { response: r, survey, locale, words } = props;
  const at = dateText(locale, new Date(r.receivedAt), 'moment');
  const place = (survey?.segmentKeys ?? Object.keys(r.attributes)).flatMap((k) =>
    r.attributes[k] ? [`${k}: ${r.attributes[k]}`] : [],
  );
  return (
    <li>
      <article
        class="comment"
        aria-label={fill(words.commentOf, { date: at })}
        data-submission={r.submissionId}
      >
        <p class="meta">
          <time dateTime={r.receivedAt}>{at}</time>
          {place.length > 0 && <span class="where"> · {place.join(' · ')}</span>}
        </p>
        {r.comments.map((text, i) => (
          <blockquote key={i} lang={r.locale}>
            <p>{text}</p>
          </blockquote>
        ))}
        {r.analysis && (
          <p class="reading" data-sentiment={r.analysis.sentiment}>
            <span class={`sentiment-${r.analysis.sentiment}`}>
              {fill(words.readAs, { sentiment: words.sentimentWord[r.analysis.sentiment].toLowerCase() })}
            </span>
            {r.analysis.themes.length > 0 && (
              <>
                {' · '}
                {fill(words.about, {
                  themes: r.analysis.themes
                    .map((id) => {
                      const t = survey && themesOf(survey).find((x) => x.id === id);
                      return t ? themeName(t, locale) : id;
                    })
                    .join(', '),
                })}
              </>
            )}
          </p>
        )}
        <ul class="scores">
          {r.scores.map((s) => (
            <li key={s.questionId} class={`score-${BANDS[s.band].key}`}>
              {words[s.type]}: <strong>{number(locale, s.score)}</strong> ({String(words[BANDS[s.band].word])}
              )
            </li>
          ))}
        </ul>
        {r.case && (
          <a class="to" href={`/app/cases/${encodeURIComponent(r.case.caseId)}`}>
            {fill(words.openCase, {
              status: words.status[r.case.status as keyof Words['status']] ?? r.case.status,
            })}
          </a>
        )}
      </article>
    </li>
  );
}
