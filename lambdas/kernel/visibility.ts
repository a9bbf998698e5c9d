/**
 * What a person may see of a survey's answers: everything (an admin, an analyst), or only the places their grants
 * name (a manager, a viewer), each a segment along the survey's hierarchy. A place covers itself and every place
 * under it: `region:north` covers its cities and their stores; `store:s-001` only that store.
 */
export interface Place {
  readonly key: string;
  readonly value: string;
}

export type Visibility =
  | { readonly all: true }
  | {
      readonly all: false;
      /** The places granted, each once. */
      readonly places: readonly Place[];
    };

export const SEES_ALL: Visibility = { all: true };

const same = (a: Place, b: Place) => a.key === b.key && a.value === b.value;

/**
 * Whether the place at the end of `path` (the place and the places above it, widest first, as the survey's
 * hierarchy and its answers put them) is one the person may see.
 */
export function sees(visibility: Visibility, path: readonly Place[]): boolean {
  return visibility.all || path.some((at) => visibility.places.some((p) => same(p, at)));
}

export const placeText = (p: Place) => `${p.key}:${p.value}`;

/** `store:s-001` -> the place (a text the grants' schema has checked: a key, a colon, a value). */
export function parsePlace(text: string): Place {
  const colon = text.indexOf(':');
  return { key: text.slice(0, colon), value: text.slice(colon + 1) };
}

/**
 * The granted places none of which is under another (by `pathOf`: a place and those above it, widest first), so
 * figures summed over them count each answer once: `store:s-001` under a granted `region:north` is dropped.
 */
export function widest(places: readonly Place[], pathOf: (p: Place) => readonly Place[]): Place[] {
  return places.filter(
    (p, i) =>
      places.findIndex((q) => same(q, p)) === i &&
      !pathOf(p)
        .slice(0, -1)
        .some((above) => places.some((q) => same(q, above))),
  );
}

/**
 * Whether an answer, or the case it opened, is one the person may see, by the places its attributes name (an
 * answer at a store of Lima carries `city: lima` too, and is counted under each): the same places the figures
 * count it under.
 */
export function seesAttributes(
  visibility: Visibility,
  attributes: Readonly<Record<string, string>>,
): boolean {
  return visibility.all || visibility.places.some((p) => attributes[p.key] === p.value);
}
