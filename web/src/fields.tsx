import { useEffect, useRef, useState } from 'preact/hooks';
import type { FieldProblem } from './api.ts';

/**
 * The inputs of the set-up screens (routing, surveys). Each is named by the path of its value in the body the API
 * checks (`questions.1.id`), so the reason the API's schema gives for a refused field is shown next to it.
 */

/** The reason the API gave for a field, by its path, if any. */
export const problemFinder =
  (problems: readonly FieldProblem[]) =>
  (field: string): string | undefined =>
    problems.find((p) => p.field === field)?.message;

const idOf = (name: string) => name.replace(/\./g, '-');

/** The reason under a field, tied to it by aria-describedby. */
function Problem({ name, problem }: { name: string; problem: string | undefined }) {
  return problem ? (
    <span id={`${idOf(name)}-problem`} class="problem">
      {problem}
    </span>
  ) : null;
}

const invalid = (name: string, problem: string | undefined) => ({
  'aria-invalid': problem ? ('true' as const) : undefined,
  'aria-describedby': problem ? `${idOf(name)}-problem` : undefined,
});

/** A labelled text input that says why the API refused it. */
export function Field(props: {
  label: string;
  name: string;
  value: string;
  type?: string;
  step?: string;
  problem: string | undefined;
  onInput: (value: string) => void;
}) {
  return (
    <label>
      {props.label}
      <input
        class="field"
        id={idOf(props.name)}
        name={props.name}
        type={props.type ?? 'text'}
        step={props.step}
        value={props.value}
        {...invalid(props.name, props.problem)}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <Problem name={props.name} problem={props.problem} />
    </label>
  );
}

/**
 * What is typed in a field that holds something else (a number, a list): it stays as typed while the value it
 * gives is sent on; a value that comes from elsewhere (another survey picked) replaces it.
 */
function useTyped<T>(value: T, format: (v: T) => string) {
  const shown = format(value);
  const [text, setText] = useState(shown);
  const sent = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (sent.current !== shown) setText(shown);
  }, [shown]);
  return [
    text,
    (typed: string, gives: T) => {
      sent.current = format(gives);
      setText(typed);
    },
  ] as const;
}

const formatNumber = (v: number | undefined) => (v === undefined ? '' : String(v));

/**
 * A number. An empty field gives `fallback` (the schema's default) where there is one, else nothing (an optional
 * field, left out).
 */
export function NumberField(
  props: {
    label: string;
    name: string;
    value: number | undefined;
    problem: string | undefined;
    step?: string;
  } & (
    | { fallback: number; onInput: (value: number) => void }
    | { fallback?: undefined; onInput: (value: number | undefined) => void }
  ),
) {
  const [text, type] = useTyped(props.value, formatNumber);
  return (
    <Field
      label={props.label}
      name={props.name}
      type="number"
      step={props.step}
      value={text}
      problem={props.problem}
      onInput={(t) => {
        const n = t.trim() === '' || Number.isNaN(Number(t)) ? undefined : Number(t);
        if (props.fallback !== undefined) {
          type(t, n ?? props.fallback);
          props.onInput(n ?? props.fallback);
        } else {
          type(t, n);
          props.onInput(n);
        }
      }}
    />
  );
}

const formatList = (list: readonly string[]) => list.join(', ');

/** Words separated by commas (`region, city, store`), kept as a list; what is typed stays as typed. */
export function ListField(props: {
  label: string;
  name: string;
  value: readonly string[];
  problem: string | undefined;
  onInput: (value: string[]) => void;
}) {
  const [text, type] = useTyped(props.value, formatList);
  return (
    <Field
      label={props.label}
      name={props.name}
      value={text}
      problem={props.problem}
      onInput={(t) => {
        const list = t
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x !== '');
        type(t, list);
        props.onInput(list);
      }}
    />
  );
}

/** One of a few values, as a select. */
export function Choice<T extends string>(props: {
  label: string;
  name: string;
  value: T;
  options: readonly { value: T; label: string; lang?: string }[];
  problem: string | undefined;
  onChange: (value: T) => void;
}) {
  return (
    <label>
      {props.label}
      <select
        class="field"
        id={idOf(props.name)}
        name={props.name}
        value={props.value}
        {...invalid(props.name, props.problem)}
        onChange={(e) => props.onChange(e.currentTarget.value as T)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value} lang={o.lang}>
            {o.label}
          </option>
        ))}
      </select>
      <Problem name={props.name} problem={props.problem} />
    </label>
  );
}

/** A yes or no. */
export function Check(props: {
  label: string;
  name: string;
  checked: boolean;
  problem?: string | undefined;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label class="check">
      <input
        type="checkbox"
        name={props.name}
        checked={props.checked}
        {...invalid(props.name, props.problem)}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      {props.label}
      <Problem name={props.name} problem={props.problem} />
    </label>
  );
}

/** What the API refused, all together, after the fields were marked one by one. */
export function Problems(props: { title: string; problems: readonly FieldProblem[] }) {
  if (props.problems.length === 0) return null;
  return (
    <div role="alert" class="problems">
      <p>{props.title}</p>
      <ul>
        {props.problems.map((p) => (
          <li key={`${p.field}${p.message}`}>
            {p.field ? `${p.field}: ` : ''}
            {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
