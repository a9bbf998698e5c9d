import type { ResponseRecord } from '#capture/rules/response.ts';
import type { SurveyStore } from '#kernel/ports.ts';
import type { SegmentCatalogue } from '../ports.ts';
import { segmentValuesOf } from '../rules/segments.ts';

/**
 * The segment values this container knows are in the catalogue, per survey: read once per survey and container,
 * so a value costs a write only the first time the container sees it, not with every answer that names it.
 */
export class SegmentMemory {
  private readonly known = new Map<string, Set<string>>();

  async knownOf(catalogue: SegmentCatalogue, surveyId: string): Promise<Set<string>> {
    let set = this.known.get(surveyId);
    if (!set) {
      set = new Set((await catalogue.all(surveyId)).map((v) => `${v.key}\n${v.value}`));
      this.known.set(surveyId, set);
    }
    return set;
  }
}

export interface NoteSegmentsDeps {
  readonly surveys: SurveyStore;
  readonly catalogue: SegmentCatalogue;
  readonly memory: SegmentMemory;
}

/**
 * Adds to the catalogue the segment values of a batch of answers that it does not hold yet (the Segments screen
 * lists them). Idempotent: a value is written once, with the parent of the first answer that named it.
 */
export async function noteSegments(
  deps: NoteSegmentsDeps,
  responses: readonly ResponseRecord[],
): Promise<{ added: number; writeUnits: number }> {
  let added = 0;
  let writeUnits = 0;
  for (const r of responses) {
    const survey = await deps.surveys.get(r.surveyId);
    if (!survey || survey.segmentKeys.length === 0) continue;
    const known = await deps.memory.knownOf(deps.catalogue, survey.id);
    for (const v of segmentValuesOf(survey, r.attributes)) {
      const id = `${v.key}\n${v.value}`;
      if (known.has(id)) continue;
      writeUnits += await deps.catalogue.addIfAbsent(survey.id, v);
      known.add(id);
      added++;
    }
  }
  return { added, writeUnits };
}
