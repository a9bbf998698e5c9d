import { useEffect, useState } from 'preact/hooks';
import type { WindowName } from '#aggregation/rules/report.ts';
import type { ExportKind, ExportView } from '#insight/rules/exports.ts';
import type { Survey } from '#kernel/survey.ts';
import type { Api } from './api.ts';
import { Controls, PlaceFields, usePlace } from './controls.tsx';
import { dateText, fill, type Locale, number, type Words } from './i18n.ts';
import { useLatest } from './latest.ts';
import { useSurveys } from './surveys.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/** How often the list is read again while a file is being prepared. */
const POLL_MS = 1500;

const KINDS: readonly {
  kind: ExportKind;
  word: 'exportResponses' | 'exportAggregates';
  hint: 'exportResponsesHint' | 'exportAggregatesHint';
}[] = [
  { kind: 'responses', word: 'exportResponses', hint: 'exportResponsesHint' },
  { kind: 'aggregates', word: 'exportAggregates', hint: 'exportAggregatesHint' },
];

const sizeOf = (locale: Locale, bytes: number) =>
  bytes < 1024 * 1024
    ? `${number(locale, Math.max(1, Math.round(bytes / 1024)))} KB`
    : `${number(locale, bytes / (1024 * 1024), 1)} MB`;

/**
 * The Exports screen: a CSV of the responses (every one, with its comments and places) or of the daily figures per
 * place, for a period and a place; prepared in the background, listed with its state, downloaded through a link
 * asked for at the moment of the click (links last 15 minutes).
 */
export function Exports({ api, locale, words }: Props) {
  const [failure, setFailure] = useState<string | undefined>();
  const { surveys, surveyId, setSurveyId } = useSurveys(api, setFailure);
  const survey = surveys?.find((s) => s.id === surveyId);
  const [window, setWindow] = useState<WindowName>('30d');
  const [items, setItems] = useState<readonly ExportView[] | undefined>();
  const [refused, setRefused] = useState<string | undefined>();

  const latest = useLatest();
  const reload = () => {
    const current = latest.begin();
    return api
      .exports(surveyId)
      .then(({ items }) => current() && setItems(items))
      .catch((err: Error) => setFailure(err.message));
  };
  useEffect(() => {
    if (!surveyId) return;
    setItems(undefined);
    void reload();
  }, [api, surveyId]);
  // While a file is being prepared, its row is read again until it is ready or failed.
  const running = items?.some((e) => e.status === 'running') ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void reload(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, surveyId]);

  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  if (surveys && surveys.length === 0) return <p>{words.noSurveys}</p>;

  const ask = async (kind: ExportKind, segment: string | undefined) => {
    setRefused(undefined);
    try {
      const asked = await api.requestExport(surveyId, { kind, window, segment });
      latest.changed();
      setItems((before) => [asked, ...(before ?? [])]);
    } catch (err) {
      setRefused((err as Error).message);
    }
  };
  const download = async (exportId: string) => {
    try {
      const fresh = await api.export(exportId);
      if (fresh.download) location.assign(fresh.download.url);
    } catch (err) {
      setRefused((err as Error).message);
    }
  };

  return (
    <section aria-labelledby="exports-title">
      <h1 id="exports-title">{words.exports}</h1>
      <p>{words.exportsIntro}</p>
      <Controls
        surveys={surveys}
        surveyId={surveyId}
        onSurvey={setSurveyId}
        window={window}
        onWindow={setWindow}
        locale={locale}
        words={words}
      />
      {survey && <ExportForm key={survey.id} api={api} survey={survey} onAsk={ask} words={words} />}
      {refused && <p role="alert">{refused}</p>}
      <h2>{words.recentExports}</h2>
      {!items ? (
        <p aria-live="polite">…</p>
      ) : items.length === 0 ? (
        <p>{words.noExports}</p>
      ) : (
        <ol class="records exports" aria-live="polite" aria-busy={running}>
          {items.map((e) => (
            <li key={e.exportId}>
              <p class="what">
                <strong>{words[KINDS.find((k) => k.kind === e.kind)?.word ?? 'exportResponses']}</strong> ·{' '}
                {e.segment === 'all:all' ? words.everywhere : e.segment} ·{' '}
                {dateText(locale, new Date(`${e.from}T00:00:00Z`), 'day')} –{' '}
                {dateText(locale, new Date(`${e.to}T00:00:00Z`), 'day')}
              </p>
              <p class="meta when">
                {words.exportRequested}: {dateText(locale, new Date(e.requestedAt), 'moment')}
              </p>
              <Status view={e} locale={locale} words={words} onDownload={download} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Status(props: {
  view: ExportView;
  locale: Locale;
  words: Words;
  onDownload: (exportId: string) => void;
}) {
  const { view, locale, words } = props;
  if (view.status === 'running') return <span>{words.exportRunning}</span>;
  if (view.status === 'failed')
    return <span>{fill(words.exportFailed, { reason: view.failure ?? '' })}</span>;
  return (
    <span class="ready">
      {fill(words.exportReady, {
        rows: number(locale, view.rows ?? 0),
        size: sizeOf(locale, view.bytes ?? 0),
      })}{' '}
      <button
        type="button"
        aria-label={fill(words.downloadOf, { name: view.fileName })}
        onClick={() => props.onDownload(view.exportId)}
      >
        {words.download}
      </button>
    </span>
  );
}

/** What to export and where: applied when the form is sent. */
function ExportForm(props: {
  api: Api;
  survey: Survey;
  onAsk: (kind: ExportKind, segment: string | undefined) => Promise<void>;
  words: Words;
}) {
  const { api, survey, words } = props;
  const [kind, setKind] = useState<ExportKind>('responses');
  const where = usePlace();
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    await props.onAsk(kind, where.segment);
    setBusy(false);
  };
  return (
    <form class="controls export-form" onSubmit={(e) => void onSubmit(e)}>
      <fieldset class="kinds">
        <legend>{words.exportKind}</legend>
        {KINDS.map((k) => (
          <label key={k.kind} class="kind">
            <input
              type="radio"
              name="kind"
              value={k.kind}
              checked={kind === k.kind}
              onChange={() => setKind(k.kind)}
            />
            <span class="kind-text">
              {words[k.word]}
              <small>{words[k.hint]}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <PlaceFields api={api} survey={survey} place={where} listId="export-place-values" words={words} />
      <button type="submit" disabled={busy}>
        {words.prepareExport}
      </button>
    </form>
  );
}
