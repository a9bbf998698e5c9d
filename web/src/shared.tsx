import { useEffect, useState } from 'preact/hooks';
import type { WindowName } from '#aggregation/rules/report.ts';
import type { SharedView } from '#insight/rules/share-links.ts';
import { LANGUAGE_NAMES, messages } from '#views/i18n.ts';
import { PeriodPicker } from './controls.tsx';
import { dateText, fill, LOCALES, type Locale, type Words, wordsOf } from './i18n.ts';
import { Details, Headlines } from './overview.tsx';

type Loaded =
  | { readonly state: 'loading' }
  | { readonly state: 'shown'; readonly view: SharedView }
  | { readonly state: 'refused'; readonly status: number };

/** The words for a refused link, by the status the API gave. */
const refusal = (status: number, words: Words) =>
  status === 410 ? words.sharedGone : status === 429 ? words.sharedBusy : words.sharedMissing;

/**
 * A shared view (`/app/shared/<token>`), for someone without an account: one place's figures for a period, its
 * trend and distribution, and its newest comments when the owner allowed them; read-only, nothing to sign in to.
 */
export function Shared({ token, initialLocale }: { token: string; initialLocale: Locale }) {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const words = wordsOf(locale);
  document.documentElement.lang = locale;
  const [window, setWindow] = useState<WindowName>('30d');
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    fetch(`/v1/shared/${encodeURIComponent(token)}?window=${window}`)
      .then(async (res) => {
        if (!current) return;
        if (!res.ok) setLoaded({ state: 'refused', status: res.status });
        else setLoaded({ state: 'shown', view: (await res.json()) as SharedView });
      })
      .catch(() => current && setLoaded({ state: 'refused', status: 0 }));
    return () => {
      current = false;
    };
  }, [token, window]);

  if (loaded.state === 'refused') {
    document.title = words.name;
    return (
      <main>
        <h1>{words.name}</h1>
        <p role="alert">{refusal(loaded.status, words)}</p>
      </main>
    );
  }
  if (loaded.state === 'loading') return <main aria-busy="true">…</main>;
  const { view } = loaded;
  const title = view.survey.title[locale] ?? view.survey.title.en ?? view.survey.id;
  document.title = `${title} · ${words.name}`;
  const place = view.segment === 'all:all' ? words.everywhere : view.segment;
  return (
    <main class="shared">
      <h1>{title}</h1>
      <p class="scope">
        {fill(words.sharedIntro, { place, date: dateText(locale, new Date(view.expiresAt), 'moment') })}
      </p>
      <div class="controls">
        <PeriodPicker window={window} onChange={setWindow} words={words} />
        <label>
          {messages(locale).language}
          <select value={locale} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="cards" aria-live="polite" aria-busy={view.metrics.window !== window}>
        <Headlines report={view.metrics} locale={locale} words={words} />
      </div>
      <Details report={view.metrics} locale={locale} words={words} />
      {view.comments && (
        <section aria-labelledby="shared-comments">
          <h2 id="shared-comments">{words.sharedComments}</h2>
          {view.comments.length === 0 ? (
            <p>{words.noComments}</p>
          ) : (
            <ol class="comments">
              {view.comments.map((c) => (
                <li key={`${c.receivedAt}${c.text}`} class="comment">
                  <p class="meta">{dateText(locale, new Date(c.receivedAt), 'moment')}</p>
                  <blockquote>{c.text}</blockquote>
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
    </main>
  );
}
