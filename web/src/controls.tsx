import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { WindowName } from '#aggregation/rules/report.ts';
import type { Survey } from '#kernel/survey.ts';
import type { Api } from './api.ts';
import { fill, type Locale, type Words } from './i18n.ts';

export const WINDOWS: readonly WindowName[] = ['7d', '30d', '90d'];

/** `key:value` split at its first colon (a value may hold more); both undefined when it is not one. */
export const splitSegment = (s: string | undefined): [string, string] | [undefined, undefined] => {
  const colon = s?.indexOf(':') ?? -1;
  return s && colon > 0 ? [s.slice(0, colon), s.slice(colon + 1)] : [undefined, undefined];
};

export const windowOf = (raw: string | undefined, fallback: WindowName = '7d'): WindowName =>
  WINDOWS.find((w) => w === raw) ?? fallback;

/** The survey a screen is about. */
export function SurveyPicker(props: {
  surveys: readonly Survey[] | undefined;
  surveyId: string;
  onChange: (id: string) => void;
  locale: Locale;
  words: Words;
}) {
  return (
    <label>
      {props.words.survey}
      <select value={props.surveyId} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {(props.surveys ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.title[props.locale] ?? s.title.en ?? s.id}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The period (7, 30 or 90 days) as buttons a thumb can hit; radios underneath, for keyboards and readers. */
export function PeriodPicker(props: { window: WindowName; onChange: (w: WindowName) => void; words: Words }) {
  return (
    <fieldset class="periods">
      <legend>{props.words.period}</legend>
      {WINDOWS.map((w, i) => (
        <label key={w} class="period">
          <input
            type="radio"
            name="period"
            value={w}
            checked={props.window === w}
            onChange={() => props.onChange(w)}
          />
          <span>{props.words.periods[i]}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** The first controls of a screen of figures: which survey and which period, then the screen's own (`children`). */
export function Controls(props: {
  surveys: readonly Survey[] | undefined;
  surveyId: string;
  onSurvey: (id: string) => void;
  window: WindowName;
  onWindow: (w: WindowName) => void;
  locale: Locale;
  words: Words;
  children?: ComponentChildren;
}) {
  return (
    <div class="controls">
      <SurveyPicker
        surveys={props.surveys}
        surveyId={props.surveyId}
        onChange={props.onSurvey}
        locale={props.locale}
        words={props.words}
      />
      <PeriodPicker window={props.window} onChange={props.onWindow} words={props.words} />
      {props.children}
    </div>
  );
}

/** A place being picked: a segment key and its value, as typed so far. */
export function usePlace(initial?: string) {
  const [key, value] = splitSegment(initial);
  const [placeKey, setPlaceKey] = useState(key ?? '');
  const [place, setPlace] = useState(value ?? '');
  return {
    placeKey,
    setPlaceKey,
    place,
    setPlace,
    /** `key:value`, or undefined for every answer. */
    segment: placeKey && place.trim() ? `${placeKey}:${place.trim()}` : undefined,
  };
}

/**
 * Where: one of the survey's segment keys (or everywhere), then its value, picked from the values the survey has
 * seen for that key (`GET .../segment-values`) or typed.
 */
export function PlaceFields(props: {
  api: Api;
  survey: Survey;
  place: ReturnType<typeof usePlace>;
  /** The datalist's id, unique on the page. */
  listId: string;
  words: Words;
}) {
  const { api, survey, words } = props;
  const { placeKey, setPlaceKey, place, setPlace } = props.place;
  const [values, setValues] = useState<readonly string[]>([]);
  useEffect(() => {
    setValues([]);
    if (!placeKey) return;
    let current = true;
    api
      .segmentValues(survey.id, placeKey)
      .then((t) => current && setValues(t.values.map((v) => v.value)))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [api, survey.id, placeKey]);
  return (
    <>
      <label>
        {words.segment}
        <select name="key" value={placeKey} onChange={(e) => setPlaceKey(e.currentTarget.value)}>
          <option value="">{words.everywhere}</option>
          {survey.segmentKeys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      {placeKey && (
        <label>
          {fill(words.placeValue, { key: placeKey })}
          <input
            name="value"
            list={props.listId}
            autocomplete="off"
            value={place}
            onInput={(e) => setPlace(e.currentTarget.value)}
            required
          />
          <datalist id={props.listId}>
            {values.map((v) => (
              <option key={v} value={v} />
            ))}
          </datalist>
        </label>
      )}
    </>
  );
}
