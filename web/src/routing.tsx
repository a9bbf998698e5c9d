import { useEffect, useState } from 'preact/hooks';
import { REPORT_FREQUENCIES } from '#loop/rules/report-frequencies.ts';
import type { Route, RoutingTable, Tier } from '#loop/rules/routing.ts';
import { LANGUAGE_NAMES } from '#views/i18n.ts';
import { type Api, ApiError, type FieldProblem } from './api.ts';
import { Choice, Field, Problems, problemFinder } from './fields.tsx';
import { fill, LOCALES, type Locale, type Words } from './i18n.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/** At most five tiers a route (the API's schema says so too). */
const MAX_TIERS = 5;

const emptyTier = (): Tier => ({ role: '', email: '' });

/** The routes with the one at `from` moved to `to`: the first match wins, so their order matters. */
const moved = (routes: readonly Route[], from: number, to: number): Route[] => {
  const next = [...routes];
  const [route] = next.splice(from, 1);
  if (route) next.splice(to, 0, route);
  return next;
};

/** A tier as the form keeps it: optional fields absent rather than empty, as the schema wants them. */
function cleanTier(t: Tier): Tier {
  return {
    role: t.role.trim(),
    email: t.email.trim(),
    ...(t.name?.trim() ? { name: t.name.trim() } : {}),
    ...(t.phone?.trim() ? { phone: t.phone.trim() } : {}),
    ...(t.locale ? { locale: t.locale } : {}),
    ...(t.reports ? { reports: t.reports } : {}),
  };
}

/**
 * The routing table: for each place (`key:value`, or `*` for every other), its owners in tiers, first tier first.
 * Saved whole with `PUT /v1/routing`, checked by the API's own schema; each field it refuses is marked with why.
 */
export function Routing({ api, words }: Props) {
  const [routes, setRoutes] = useState<Route[] | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [problems, setProblems] = useState<readonly FieldProblem[]>([]);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api
      .routing()
      .then((t) => setRoutes(t.routes.map((r) => ({ ...r, tiers: [...r.tiers] }))))
      .catch((err: Error) => setFailure(err.message));
  }, [api]);

  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  if (!routes) return <p aria-live="polite">…</p>;
  const change = (next: Route[]) => {
    setSaved(false);
    setRoutes(next);
  };
  const setRoute = (i: number, route: Route) => change(routes.map((r, j) => (j === i ? route : r)));
  const problemOf = problemFinder(problems);
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblems([]);
    try {
      const table: RoutingTable = {
        routes: routes.map((r) => ({ segment: r.segment.trim(), tiers: r.tiers.map(cleanTier) })),
      };
      await api.saveRouting(table);
      setRoutes(table.routes);
      setSaved(true);
    } catch (err) {
      setProblems(
        err instanceof ApiError && err.errors.length > 0
          ? err.errors
          : [{ field: '', message: (err as Error).message }],
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="routing-title">
      <h1 id="routing-title">{words.routing}</h1>
      <p>{words.routingIntro}</p>
      <form class="routing editor" onSubmit={(e) => void onSubmit(e)} noValidate>
        {routes.map((route, i) => (
          <fieldset key={i} class="route" data-route={i}>
            <legend>{fill(words.routeOf, { n: String(i + 1) })}</legend>
            <Field
              label={words.routeSegment}
              name={`routes.${i}.segment`}
              value={route.segment}
              problem={problemOf(`routes.${i}.segment`)}
              onInput={(segment) => setRoute(i, { ...route, segment })}
            />
            {route.tiers.map((tier, k) => {
              const at = `routes.${i}.tiers.${k}`;
              const setTier = (t: Tier) =>
                setRoute(i, { ...route, tiers: route.tiers.map((x, m) => (m === k ? t : x)) });
              return (
                <fieldset key={k} class="tier" data-tier={k}>
                  <legend>{fill(words.tierOf, { n: String(k + 1) })}</legend>
                  <Field
                    label={words.tierRole}
                    name={`${at}.role`}
                    value={tier.role}
                    problem={problemOf(`${at}.role`)}
                    onInput={(role) => setTier({ ...tier, role })}
                  />
                  <Field
                    label={words.tierName}
                    name={`${at}.name`}
                    value={tier.name ?? ''}
                    problem={problemOf(`${at}.name`)}
                    onInput={(name) => setTier({ ...tier, name })}
                  />
                  <Field
                    label={words.tierEmail}
                    name={`${at}.email`}
                    type="email"
                    value={tier.email}
                    problem={problemOf(`${at}.email`)}
                    onInput={(email) => setTier({ ...tier, email })}
                  />
                  <Field
                    label={words.tierPhone}
                    name={`${at}.phone`}
                    type="tel"
                    value={tier.phone ?? ''}
                    problem={problemOf(`${at}.phone`)}
                    onInput={(phone) => setTier({ ...tier, phone })}
                  />
                  <label>
                    {words.tierLocale}
                    <select
                      class="field"
                      name={`${at}.locale`}
                      value={tier.locale ?? ''}
                      onChange={(e) =>
                        setTier({ ...tier, locale: (e.currentTarget.value || undefined) as Tier['locale'] })
                      }
                    >
                      <option value="">{words.surveyLanguage}</option>
                      {LOCALES.map((l) => (
                        <option key={l} value={l} lang={l}>
                          {LANGUAGE_NAMES[l]}
                        </option>
                      ))}
                    </select>
                  </label>
                  <Choice
                    label={words.tierReports}
                    name={`${at}.reports`}
                    value={tier.reports ?? ''}
                    options={[
                      { value: '', label: words.reportNone },
                      ...REPORT_FREQUENCIES.map((f) => ({ value: f, label: words.reportFrequency[f] })),
                    ]}
                    problem={problemOf(`${at}.reports`)}
                    onChange={(f) => setTier({ ...tier, reports: f || undefined })}
                  />
                  {route.tiers.length > 1 && (
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => setRoute(i, { ...route, tiers: route.tiers.filter((_, m) => m !== k) })}
                    >
                      {fill(words.removeTier, { n: String(k + 1) })}
                    </button>
                  )}
                </fieldset>
              );
            })}
            <div class="row">
              {route.tiers.length < MAX_TIERS && (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => setRoute(i, { ...route, tiers: [...route.tiers, emptyTier()] })}
                >
                  {words.addTier}
                </button>
              )}
              {i > 0 && (
                <button type="button" class="secondary" onClick={() => change(moved(routes, i, i - 1))}>
                  {fill(words.moveRouteUp, { n: String(i + 1) })}
                </button>
              )}
              <button
                type="button"
                class="secondary"
                onClick={() => change(routes.filter((_, j) => j !== i))}
              >
                {fill(words.removeRoute, { n: String(i + 1) })}
              </button>
            </div>
          </fieldset>
        ))}
        <div class="row">
          <button
            type="button"
            class="secondary"
            onClick={() => change([...routes, { segment: '', tiers: [emptyTier()] }])}
          >
            {words.addRoute}
          </button>
          <button type="submit" disabled={busy}>
            {words.saveRouting}
          </button>
        </div>
        {saved && <p role="status">{words.routingSaved}</p>}
        <Problems title={words.routingInvalid} problems={problems} />
      </form>
    </section>
  );
}
