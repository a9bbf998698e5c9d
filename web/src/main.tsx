import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { LANGUAGE_NAMES, messages } from '#views/i18n.ts';
import './app.css';
import { apiClient } from './api.ts';
import { type AppConfig, currentSession, finishSignIn, type Session, signIn, signOut } from './auth.ts';
import { fill, LOCALES, type Locale, localeOf, wordsOf } from './i18n.ts';
import { Overview } from './overview.tsx';

function App({ session, config }: { session: Session; config: AppConfig }) {
  const [locale, setLocale] = useState<Locale>(localeOf(session.locale));
  const words = wordsOf(locale);
  const api = useMemo(() => apiClient(session.accessToken), [session]);
  document.documentElement.lang = locale;
  document.title = `${words.overview} · ${words.name}`;
  return (
    <>
      <header class="top">
        <span class="brand">{words.name}</span>
        <span class="who">{fill(words.signedInAs, { name: session.name })}</span>
        <label class="lang">
          <span class="sr">{messages(locale).language}</span>
          <select value={locale} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          class="link"
          onClick={() => {
            signOut();
            void signIn(config, locale);
          }}
        >
          {words.signOut}
        </button>
      </header>
      <main>
        <Overview api={api} locale={locale} words={words} />
      </main>
    </>
  );
}

async function start() {
  const root = document.getElementById('app');
  if (!root) return;
  const config = (await (await fetch('/app/config.json')).json()) as AppConfig;
  const session = (await finishSignIn(config)) ?? currentSession();
  if (!session) {
    root.textContent = wordsOf(localeOf()).signingIn;
    await signIn(config, localeOf());
    return;
  }
  render(<App session={session} config={config} />, root);
}

void start();
