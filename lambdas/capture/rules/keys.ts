import { type FieldError, ValidationError } from '#kernel/errors.ts';
import { isPrototypeKey, PROTOTYPE_KEY_MESSAGE } from '#kernel/survey.ts';

export { isPrototypeKey, PROTOTYPE_KEY_MESSAGE, PROTOTYPE_KEYS } from '#kernel/survey.ts';

/**
 * A field error per own key of `record` spelled like a property of Object.prototype (`constructor`, `toString`,
 * `__proto__`...). Answers are keyed by question id and attributes by segment key, and neither can be one of those.
 */
export function prototypeKeyErrors(record: object, field: string): FieldError[] {
  return Object.keys(record)
    .filter(isPrototypeKey)
    .map((key) => ({ field: `${field}.${key}`, code: 'reserved_key', message: PROTOTYPE_KEY_MESSAGE }));
}

/**
 * Refuses a record that has a prototype-named key. Call it on a record built with its own `__proto__` key kept
 * (JSON.parse, Object.fromEntries), before a schema, a spread or an assignment would drop that key silently.
 */
export function refusePrototypeKeys(record: object, field: string): void {
  const errors = prototypeKeyErrors(record, field);
  if (errors.length > 0) throw new ValidationError(`The ${field} have a reserved key.`, errors);
}
