import type { en } from './en.ts';

/** The shape of a catalogue: en.ts with every text widened to `string` (tuples keep their length). */
type Texts<T> = T extends string ? string : { readonly [K in keyof T]: Texts<T[K]> };

/**
 * What every locale must say. A key missing in es.ts or pt.ts, one too many, or a scale with a label missing
 * fails the build.
 */
export type Catalogue = Texts<typeof en>;
