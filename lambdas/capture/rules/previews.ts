import type { Survey } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';

/** A preview can be looked at this long after it was made; the editor makes a new one on each change. */
export const PREVIEW_MINUTES = 60;

/** 24 letters and digits (about 124 bits): the preview's path is its only key, so it must not be guessable. */
export const PREVIEW_ID_LENGTH = 24;
const PREVIEW_ID = new RegExp(`^[a-z0-9]{${PREVIEW_ID_LENGTH}}$`);

/** A draft of a survey, checked by the survey schema, shown as its page without being saved. */
export interface SurveyPreview {
  readonly previewId: string;
  readonly survey: Survey;
  /** ISO time after which the preview is gone. */
  readonly expiresAt: string;
}

/** What the editor gets back: where the page is (`/v1/previews/<id>`, same origin as the app) and until when. */
export interface SurveyPreviewView {
  readonly previewId: string;
  readonly path: string;
  readonly expiresAt: string;
}

export const isPreviewId = (id: string): boolean => PREVIEW_ID.test(id);

export const previewPath = (previewId: string): string => `/v1/previews/${previewId}`;

export const previewExpiry = (now: Date): string =>
  new Date(now.getTime() + PREVIEW_MINUTES * 60_000).toISOString();

/** `?lang=` of a preview: any text (the page negotiates it among the draft's locales, as a survey link does). */
export const previewQuery = z.object({ lang: z.optional(z.string().check(z.maxLength(35))) });
