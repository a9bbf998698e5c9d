import { NotFoundError } from '#kernel/errors.ts';
import { randomId } from '#kernel/ids.ts';
import type { Clock } from '#kernel/ports.ts';
import type { Survey } from '#kernel/survey.ts';
import type { SurveyPreviewStore } from '../ports.ts';
import {
  isPreviewId,
  PREVIEW_ID_LENGTH,
  previewExpiry,
  previewPath,
  type SurveyPreviewView,
} from '../rules/previews.ts';
import { checkSurveyId } from './survey-definitions.ts';

export interface PreviewDeps {
  readonly previews: SurveyPreviewStore;
  readonly clock: Clock;
}

/**
 * Keeps a draft of a survey (already checked by the survey schema, as a save would be) for an hour, so the editor
 * can show its page before anything is saved. Nothing of the saved survey changes.
 */
export async function previewSurvey(
  deps: PreviewDeps,
  surveyId: string,
  survey: Survey,
): Promise<SurveyPreviewView> {
  checkSurveyId(surveyId, survey);
  const previewId = randomId(PREVIEW_ID_LENGTH);
  const expiresAt = previewExpiry(deps.clock.now());
  await deps.previews.put({ previewId, survey, expiresAt });
  return { previewId, path: previewPath(previewId), expiresAt };
}

/** The draft of a preview that has not expired; an unknown, malformed or expired one is not found. */
export async function openPreview(deps: PreviewDeps, previewId: string): Promise<Survey> {
  const preview = isPreviewId(previewId) ? await deps.previews.get(previewId) : undefined;
  if (!preview || Date.parse(preview.expiresAt) <= deps.clock.now().getTime())
    throw new NotFoundError('No such preview, or it has expired.');
  return preview.survey;
}
