import { type FieldError, RefusedError, ValidationError } from '#kernel/errors.ts';
import type { SigningKeyStore, SurveyStore } from '#kernel/ports.ts';
import { type Locale, localeSchema, type Survey } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';
import { checkLink, signLink, surveyLink, UNSIGNED_PARAMS } from '../rules/links.ts';
import { attributesSchema } from '../rules/response.ts';
import { loadSurvey } from './record-response.ts';

/** Name of the link signing key in the SigningKeyStore. */
export const LINK_KEY = 'links';

/** Longer links make QR codes too dense to scan from a printed table card. */
export const MAX_LINK_LENGTH = 1024;

/** `POST /v1/surveys/{surveyId}/links`: the segment attributes a link (QR code) carries, and its language. */
export const surveyLinkInputSchema = z.strictObject({
  attributes: attributesSchema,
  lang: z.optional(localeSchema),
});

export interface SurveyLink {
  readonly url: string;
  readonly surveyId: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly sig: string;
}

/** A signed survey link (for a QR code) with these segment attributes. */
export async function createSurveyLink(
  deps: { readonly surveys: SurveyStore; readonly signingKeys: SigningKeyStore },
  publicUrl: string,
  input: {
    readonly surveyId: string;
    readonly attributes: Readonly<Record<string, string>>;
    readonly lang?: Locale | undefined;
  },
): Promise<SurveyLink> {
  const survey = await loadSurvey(deps.surveys, input.surveyId);
  const errors: FieldError[] = Object.keys(input.attributes)
    .filter((k) => UNSIGNED_PARAMS.has(k))
    .map((k) => ({ field: `attributes.${k}`, code: 'reserved', message: `"${k}" is a link parameter` }));
  if (input.lang && !survey.locales.includes(input.lang))
    errors.push({
      field: 'lang',
      code: 'unsupported_locale',
      message: `one of ${survey.locales.join(', ')}`,
    });
  if (errors.length > 0) throw new ValidationError('The link cannot be made.', errors);

  const sig = signLink(await deps.signingKeys.get(LINK_KEY), survey.id, input.attributes);
  const url = surveyLink(publicUrl, {
    surveyId: survey.id,
    attributes: input.attributes,
    sig,
    lang: input.lang,
  });
  if (url.length > MAX_LINK_LENGTH) {
    throw new ValidationError('The link is too long for a QR code that scans well.', [
      {
        field: 'attributes',
        code: 'too_long',
        message: `the link would be over ${MAX_LINK_LENGTH} characters`,
      },
    ]);
  }
  return { url, surveyId: survey.id, attributes: input.attributes, sig };
}

/**
 * Refuses (403) link attributes whose `sig` does not verify, and unsigned attributes when the survey requires
 * signed links. The key is read only when there is something to check.
 */
export async function checkSurveyLink(
  signingKeys: SigningKeyStore,
  survey: Survey,
  attributes: Readonly<Record<string, string>>,
  sig: string | undefined,
): Promise<{ readonly signed: boolean }> {
  const needsKey = sig !== undefined || (survey.requireSignedLinks && Object.keys(attributes).length > 0);
  const key = needsKey ? await signingKeys.get(LINK_KEY) : undefined;
  const check = checkLink(key, {
    surveyId: survey.id,
    attributes,
    sig,
    requireSigned: survey.requireSignedLinks,
  });
  if (check.ok) return { signed: check.signed };
  throw new RefusedError(
    check.reason === 'unsigned'
      ? `Survey "${survey.id}" only takes signed links, and this one has attributes but no sig.`
      : 'The link was changed or is damaged: its sig does not match its attributes.',
  );
}
