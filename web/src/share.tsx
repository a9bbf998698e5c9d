import { useEffect, useState } from 'preact/hooks';
import { SHARE_LINK_DAYS } from '#insight/rules/share-link-days.ts';
import type { ShareLinkView } from '#insight/rules/share-links.ts';
import type { Survey } from '#kernel/survey.ts';
import type { Api } from './api.ts';
import { PlaceFields, SurveyPicker, usePlace } from './controls.tsx';
import { dateText, fill, type Locale, number, type Words } from './i18n.ts';
import { useLatest } from './latest.ts';
import { useSurveys } from './surveys.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/**
 * Share links: make a read-only link to one place's figures (for 7, 30 or 90 days, comments off unless turned
 * on), copy it the one time it is shown, and turn a link off at once.
 */
export function Share({ api, locale, words }: Props) {
  const [failure, setFailure] = useState<string | undefined>();
  const { surveys, surveyId, setSurveyId } = useSurveys(api, setFailure);
  const survey = surveys?.find((s) => s.id === surveyId);
  const [items, setItems] = useState<readonly ShareLinkView[] | undefined>();
  const [made, setMade] = useState<ShareLinkView | undefined>();
  const [refused, setRefused] = useState<string | undefined>();
  const latest = useLatest();
  useEffect(() => {
    if (!surveyId) return;
    setItems(undefined);
    setMade(undefined);
    const current = latest.begin();
    api
      .shareLinks(surveyId)
      .then(({ items }) => current() && setItems(items))
      .catch((err: Error) => setFailure(err.message));
  }, [api, surveyId]);

  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  if (surveys && surveys.length === 0) return <p>{words.noSurveys}</p>;
  const day = (at: string) => dateText(locale, new Date(at), 'moment');
  const placeOf = (l: ShareLinkView) => (l.segment === 'all:all' ? words.everywhere : l.segment);
  const revoke = async (linkId: string) => {
    try {
      const revoked = await api.revokeShareLink(linkId);
      latest.changed();
      setItems((before) => before?.map((l) => (l.linkId === linkId ? revoked : l)));
    } catch (err) {
      setRefused((err as Error).message);
    }
  };

  return (
    <section aria-labelledby="share-title">
      <h1 id="share-title">{words.share}</h1>
      <p>{words.shareIntro}</p>
      <div class="controls">
        <SurveyPicker
          surveys={surveys}
          surveyId={surveyId}
          onChange={setSurveyId}
          locale={locale}
          words={words}
        />
      </div>
      {survey && (
        <ShareForm
          key={survey.id}
          api={api}
          survey={survey}
          locale={locale}
          words={words}
          onMade={(link) => {
            setRefused(undefined);
            setMade(link);
            latest.changed();
            setItems((before) => [link, ...(before ?? [])]);
          }}
          onRefused={setRefused}
        />
      )}
      {refused && <p role="alert">{refused}</p>}
      {made?.path && <Made link={made} url={`${location.origin}${made.path}`} day={day} words={words} />}
      <h2>{words.recentShares}</h2>
      {!items ? (
        <p aria-live="polite">…</p>
      ) : items.length === 0 ? (
        <p>{words.noShares}</p>
      ) : (
        <ol class="records shares">
          {items.map((l) => (
            <li key={l.linkId} data-link={l.linkId} data-status={l.status}>
              <p class="what">
                <strong>{placeOf(l)}</strong> · {l.comments ? words.withComments : words.withoutComments}
              </p>
              <p class="meta when">
                {l.status === 'revoked'
                  ? fill(words.shareRevoked, { date: day(l.revokedAt ?? l.expiresAt) })
                  : l.status === 'expired'
                    ? fill(words.shareExpired, { date: day(l.expiresAt) })
                    : fill(words.shareActive, { date: day(l.expiresAt) })}
              </p>
              {l.status === 'active' && (
                <button
                  type="button"
                  class="secondary"
                  aria-label={fill(words.revokeOf, { place: placeOf(l) })}
                  onClick={() => void revoke(l.linkId)}
                >
                  {words.revoke}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The link just made, to copy: it is never shown again. */
function Made(props: { link: ShareLinkView; url: string; day: (at: string) => string; words: Words }) {
  const { link, url, words } = props;
  const [copied, setCopied] = useState(false);
  return (
    <div class="made" role="status">
      <p>{fill(words.shareMade, { date: props.day(link.expiresAt) })}</p>
      <label>
        {words.shareLink}
        <input class="url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard
            .writeText(url)
            .then(() => setCopied(true))
            .catch(() => undefined)
        }
      >
        {copied ? words.copied : words.copy}
      </button>
    </div>
  );
}

/** Which place, for how long, and whether comments show. */
function ShareForm(props: {
  api: Api;
  survey: Survey;
  locale: Locale;
  words: Words;
  onMade: (link: ShareLinkView) => void;
  onRefused: (reason: string) => void;
}) {
  const { api, survey, words } = props;
  const where = usePlace();
  const [days, setDays] = useState<(typeof SHARE_LINK_DAYS)[number]>(30);
  const [comments, setComments] = useState(false);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      props.onMade(
        await api.createShareLink(survey.id, {
          segment: where.segment,
          expiresInDays: days,
          comments,
        }),
      );
    } catch (err) {
      props.onRefused((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="controls share-form" onSubmit={(e) => void onSubmit(e)}>
      <PlaceFields api={api} survey={survey} place={where} listId="share-place-values" words={words} />
      <fieldset class="periods">
        <legend>{words.shareExpiry}</legend>
        {SHARE_LINK_DAYS.map((d) => (
          <label key={d} class="period">
            <input type="radio" name="days" value={d} checked={days === d} onChange={() => setDays(d)} />
            <span>{fill(words.shareDays, { n: number(props.locale, d) })}</span>
          </label>
        ))}
      </fieldset>
      <label class="check">
        <input
          type="checkbox"
          name="comments"
          checked={comments}
          onChange={(e) => setComments(e.currentTarget.checked)}
        />
        <span>
          {words.shareComments}
          <small>{words.shareCommentsHint}</small>
        </span>
      </label>
      <button type="submit" disabled={busy}>
        {words.makeShareLink}
      </button>
    </form>
  );
}
