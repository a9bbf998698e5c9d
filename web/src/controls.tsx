import type { ComponentChildren } from 'preact';
import type { WindowName } from '#aggregation/rules/report.ts';
import type { Survey } from '#kernel/survey.ts';
import type { Locale, Words } from './i18n.ts';

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
