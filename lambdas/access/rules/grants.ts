import { ValidationError } from '#kernel/errors.ts';
import { parsePlace, SEES_ALL, type Visibility } from '#kernel/visibility.ts';
import * as z from '#kernel/zod.ts';

/**
 * Grants: which places a person, or everyone in a group, may see (issue 12, point 2). A grant is kept per subject,
 * `person:<who the API records them by>` or `group:<a group of their token>`, with the places along the surveys'
 * hierarchies it covers. Admins and analysts see everything, whatever their grants; managers and viewers see
 * only what their own grants and their groups' cover, and nothing without one.
 */
const subjectPattern = /^(person|group):[^\s]{1,200}$/;

const placePattern = /^[a-z][a-z0-9_-]{0,63}:[^\s]{1,200}$/;
/** A place as the metrics route names a segment: `key:value`. */
export const placeSchema = z
  .string()
  .check(z.regex(placePattern, 'key:value, a segment such as store:s-001'));

/** `PUT /v1/access/grants/{subject}`: the places the subject may see, which replace those granted before. */
export const grantBody = z.strictObject({
  places: z.array(placeSchema).check(z.minLength(1), z.maxLength(100)),
});
export type GrantBody = z.infer<typeof grantBody>;

export interface Grant {
  readonly subject: string;
  readonly places: readonly string[];
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export function checkSubject(subject: string): string {
  if (!subjectPattern.test(subject))
    throw new ValidationError('The subject must be person:<email or username> or group:<group name>.', [
      { field: 'subject', code: 'invalid_format', message: 'person:<who> or group:<name>' },
    ]);
  return subject;
}

/** The subjects whose grants apply to a person: their own, and each of their groups'. */
export const subjectsOf = (actor: string, groups: readonly string[]) => [
  `person:${actor}`,
  ...groups.map((g) => `group:${g}`),
];

/**
 * What a person sees: everything when their role sees everything, else the places of their grants, each once
 * (the reads drop a place covered by a wider one, by the survey's hierarchy: kernel/visibility.ts `widest`).
 */
export function visibilityOf(seesEverything: boolean, grants: readonly Grant[]): Visibility {
  if (seesEverything) return SEES_ALL;
  return { all: false, places: [...new Set(grants.flatMap((g) => g.places))].map(parsePlace) };
}
