import { useEffect, useState } from 'preact/hooks';
import type { Grant } from '#access/rules/grants.ts';
import type { Api } from './api.ts';
import { dateText, fill, type Locale, type Words } from './i18n.ts';
import { useLatest } from './latest.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/** `store:s-001, region:north` or one a line -> the places. */
const placesOf = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);

/**
 * Access (admins): which places each person or group may see. Managers and viewers see only their grants' places
 * (a region covers its cities and stores); a change applies to their next request.
 */
export function Access({ api, locale, words }: Props) {
  const [items, setItems] = useState<readonly Grant[] | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [refused, setRefused] = useState<string | undefined>();
  const [kind, setKind] = useState<'person' | 'group'>('person');
  const [who, setWho] = useState('');
  const [places, setPlaces] = useState('');
  const latest = useLatest();
  const load = () => {
    const current = latest.begin();
    api
      .grants()
      .then(({ items }) => current() && setItems(items))
      .catch((err: Error) => setFailure(err.message));
  };
  useEffect(load, [api]);

  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  const act = async (action: () => Promise<unknown>) => {
    setRefused(undefined);
    try {
      await action();
      latest.changed();
      load();
      return true;
    } catch (err) {
      setRefused((err as Error).message);
      return false;
    }
  };

  return (
    <section aria-labelledby="access-title">
      <h1 id="access-title">{words.access}</h1>
      <p>{words.accessIntro}</p>
      <form
        class="action"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await act(() => api.grant(`${kind}:${who.trim()}`, placesOf(places)))) {
            setWho('');
            setPlaces('');
          }
        }}
      >
        <fieldset>
          <legend>{words.grantPlaces}</legend>
          <label for="grant-kind">{words.grantTo}</label>
          <select
            id="grant-kind"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as typeof kind)}
          >
            <option value="person">{words.grantPerson}</option>
            <option value="group">{words.grantGroup}</option>
          </select>
          <label for="grant-who">{kind === 'person' ? words.grantPersonName : words.grantGroupName}</label>
          <input
            id="grant-who"
            required
            maxLength={200}
            value={who}
            onInput={(e) => setWho(e.currentTarget.value)}
          />
          <label for="grant-places">{words.grantPlacesField}</label>
          <textarea
            id="grant-places"
            required
            rows={3}
            value={places}
            aria-describedby="grant-places-hint"
            onInput={(e) => setPlaces(e.currentTarget.value)}
          />
          <p id="grant-places-hint" class="hint">
            {words.grantPlacesHint}
          </p>
          <button type="submit">{words.grant}</button>
        </fieldset>
      </form>
      {refused && <p role="alert">{refused}</p>}
      <h2>{words.grants}</h2>
      {!items ? (
        <p aria-live="polite">…</p>
      ) : items.length === 0 ? (
        <p>{words.noGrants}</p>
      ) : (
        <ul class="records grants">
          {items.map((g) => (
            <li key={g.subject} data-subject={g.subject}>
              <p class="what">
                <strong>{g.subject}</strong>: {g.places.join(', ')}
              </p>
              <p class="meta when">
                {fill(words.grantedBy, {
                  who: g.updatedBy,
                  date: dateText(locale, new Date(g.updatedAt), 'moment'),
                })}
              </p>
              <button
                type="button"
                class="secondary"
                aria-label={fill(words.revokeGrantOf, { subject: g.subject })}
                onClick={() => void act(() => api.revokeGrant(g.subject))}
              >
                {words.revokeGrant}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
