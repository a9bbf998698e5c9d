import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import type { Role } from '#routes/roles.ts';
import type { Scope } from '#routes/route.ts';
import { LANGUAGE_NAMES, messages } from '#views/i18n.ts';
import { RoleContext, useMay } from './access.ts';
import './app.css';
import { Access } from './access-screen.tsx';
import { type Api, apiClient } from './api.ts';
import { Audit } from './audit.tsx';
import { type AppConfig, currentSession, finishSignIn, type Session, signIn, signOut } from './auth.ts';
import { Campaigns } from './campaigns.tsx';
import { CasePage, CasesInbox } from './cases.tsx';
import { Comments } from './comments.tsx';
import { Exports } from './exports.tsx';
import { fill, LOCALES, type Locale, localeOf, type Words, wordsOf } from './i18n.ts';
import { Links } from './links.tsx';
import { Overview } from './overview.tsx';
import { PlanPage, PlansList } from './plans.tsx';
import { Routing } from './routing.tsx';
import { Segments } from './segments.tsx';
import { Share } from './share.tsx';
import { Shared } from './shared.tsx';
import { Surveys } from './survey-editor.tsx';
import { Themes } from './themes.tsx';
import { Wall } from './wall.tsx';

/**
 * The screens with a link at the top, as their paths under /app/ name them (the overview is /app/ itself), each
 * with the scope a role needs to use it: a screen the role may not use has no link, and its address says so.
 */
const SCREENS = {
  segments: 'pulso/metrics.read',
  comments: 'pulso/responses.read',
  themes: 'pulso/metrics.read',
  cases: 'pulso/cases.read',
  plans: 'pulso/plans.read',
  surveys: 'pulso/surveys.write',
  routing: 'pulso/routing.read',
  campaigns: 'pulso/campaigns.read',
  links: 'pulso/surveys.write',
  exports: 'pulso/responses.read',
  share: 'pulso/shares.write',
  access: 'pulso/access.read',
  audit: 'pulso/access.read',
} as const satisfies Record<string, Scope>;
type Screen = keyof typeof SCREENS;
const SCREEN_NAMES = Object.keys(SCREENS) as Screen[];
/** The overview and the wall show figures. */
const FIGURES: Scope = 'pulso/metrics.read';

const NotFound = ({ words }: { words: Words }) => <p>{words.notFound}</p>;

/** The screens, by path under /app/; the local server and CloudFront answer index.html for each. */
function Screens({ api, locale, words, actor }: { api: Api; locale: Locale; words: Words; actor: string }) {
  const { path } = useLocation();
  const may = useMay();
  const screen = SCREEN_NAMES.find((s) => path.startsWith(`/app/${s}`)) ?? 'overview';
  const allowed = (s: Screen | 'overview') => may(s === 'overview' ? FIGURES : SCREENS[s]);
  document.title = `${words[screen]} · ${words.name}`;
  return (
    <>
      <nav aria-label={words.screens} class="screens">
        {(['overview', ...SCREEN_NAMES] as const).filter(allowed).map((s) => (
          <a
            key={s}
            href={s === 'overview' ? '/app/' : `/app/${s}`}
            aria-current={s === screen ? 'page' : undefined}
          >
            {words[s]}
          </a>
        ))}
        {may(FIGURES) && <a href="/app/wall">{words.wall}</a>}
      </nav>
      <main>
        {allowed(screen) ? (
          <Router>
            <Route path="/app/" component={Overview} api={api} locale={locale} words={words} />
            <Route path="/app/segments" component={Segments} api={api} locale={locale} words={words} />
            <Route path="/app/comments" component={Comments} api={api} locale={locale} words={words} />
            <Route path="/app/themes" component={Themes} api={api} locale={locale} words={words} />
            <Route path="/app/cases" component={CasesInbox} api={api} locale={locale} words={words} />
            <Route
              path="/app/cases/:caseId"
              component={CasePage}
              api={api}
              locale={locale}
              words={words}
              actor={actor}
            />
            <Route path="/app/plans" component={PlansList} api={api} locale={locale} words={words} />
            <Route path="/app/plans/:planId" component={PlanPage} api={api} locale={locale} words={words} />
            <Route path="/app/surveys" component={Surveys} api={api} locale={locale} words={words} />
            <Route path="/app/routing" component={Routing} api={api} locale={locale} words={words} />
            <Route path="/app/campaigns" component={Campaigns} api={api} locale={locale} words={words} />
            <Route path="/app/links" component={Links} api={api} locale={locale} words={words} />
            <Route path="/app/exports" component={Exports} api={api} locale={locale} words={words} />
            <Route path="/app/share" component={Share} api={api} locale={locale} words={words} />
            <Route path="/app/access" component={Access} api={api} locale={locale} words={words} />
            <Route path="/app/audit" component={Audit} api={api} locale={locale} words={words} />
            <Route default component={NotFound} words={words} />
          </Router>
        ) : (
          <p role="alert">{words.notAllowed}</p>
        )}
      </main>
    </>
  );
}

function App({ session, config }: { session: Session; config: Promise<AppConfig> }) {
  const [locale, setLocale] = useState<Locale>(localeOf(session.locale));
  const words = wordsOf(locale);
  const api = useMemo(() => apiClient(session.accessToken), [session]);
  // The role decides which screens show; the API says it, whichever issuer signed the person in.
  const [role, setRole] = useState<Role | null | undefined>();
  const [places, setPlaces] = useState<string[] | null>(null);
  const [failure, setFailure] = useState<string | undefined>();
  useEffect(() => {
    api
      .me()
      .then((me) => {
        setPlaces(me.places);
        setRole(me.role);
      })
      .catch((err: Error) => setFailure(err.message));
  }, [api]);
  document.documentElement.lang = locale;
  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  if (role === undefined) return <p aria-live="polite">{words.signingIn}</p>;
  return (
    <RoleContext.Provider value={role}>
      <LocationProvider scope="/app/">
        <Chrome
          session={session}
          config={config}
          api={api}
          locale={locale}
          setLocale={setLocale}
          words={words}
          role={role}
          places={places}
        />
      </LocationProvider>
    </RoleContext.Provider>
  );
}

/** The header and the screens; the wall alone, for a screen on a wall. */
function Chrome(props: {
  session: Session;
  config: Promise<AppConfig>;
  api: Api;
  locale: Locale;
  setLocale: (l: Locale) => void;
  words: Words;
  role: Role | null;
  places: string[] | null;
}) {
  const { session, config, api, locale, setLocale, words, role, places } = props;
  const { path } = useLocation();
  if (path.startsWith('/app/wall') && role) {
    document.title = `${words.wall} · ${words.name}`;
    return <Wall api={api} locale={locale} words={words} />;
  }
  return (
    <>
      <header class="top">
        <span class="brand">{words.name}</span>
        <span class="who">
          {role
            ? fill(words.signedInAsRole, { name: session.name, role: words.roleNames[role] })
            : fill(words.signedInAs, { name: session.name })}
        </span>
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
            void config.then((c) => signIn(c, locale));
          }}
        >
          {words.signOut}
        </button>
      </header>
      {role && places && (
        <p class="places" data-places={places.join(',')}>
          {places.length > 0 ? fill(words.yourPlaces, { places: places.join(', ') }) : words.noPlaces}
        </p>
      )}
      {role ? (
        <Screens api={api} locale={locale} words={words} actor={session.actor} />
      ) : (
        <main>
          <p role="alert">{words.noRole}</p>
        </main>
      )}
    </>
  );
}

async function start() {
  const root = document.getElementById('app');
  if (!root) return;
  // A shared view is for people without an account: nothing to sign in to.
  const shared = /^\/app\/shared\/([^/]+)$/.exec(location.pathname);
  if (shared?.[1]) {
    render(<Shared token={decodeURIComponent(shared[1])} initialLocale={localeOf()} />, root);
    return;
  }
  const config = fetch('/app/config.json').then((res) => res.json() as Promise<AppConfig>);
  // Signed in already (a reload, another screen): show the app at once; the config is only for signing in again.
  const current = new URLSearchParams(location.search).has('code') ? undefined : currentSession();
  const session = current ?? (await finishSignIn(await config)) ?? currentSession();
  if (!session) {
    root.textContent = wordsOf(localeOf()).signingIn;
    await signIn(await config, localeOf());
    return;
  }
  render(<App session={session} config={config} />, root);
}

void start();
