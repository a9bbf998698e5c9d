import type { Survey } from '#kernel/survey.ts';
import { refusePrototypeKeys } from './keys.ts';
import { UNSIGNED_PARAMS } from './links.ts';

/** The survey page's form post, split into answers, hidden attributes and the page's own fields. */
export interface SurveyForm {
  /** Fields named after a question of the survey; other fields are not answers and are left out. */
  readonly answers: Record<string, string>;
  /** `attr.<key>` fields: the link's segment attributes, sent back as hidden fields. */
  readonly attributes: Record<string, string>;
  readonly submissionId: string;
  readonly locale?: string | undefined;
  /** An invitation's token: the post answers that invitation. */
  readonly token?: string | undefined;
  readonly sig?: string | undefined;
}

/**
 * Splits the fields of a form post. Built with Object.fromEntries, which keeps a `__proto__` key, so that a
 * prototype-named attribute is refused (ValidationError) instead of dropped or stored. The last of repeated
 * fields wins, as it does for answers; the page's own fields take their first value.
 */
export function splitSurveyForm(survey: Survey, form: URLSearchParams): SurveyForm {
  const questions = new Set(survey.questions.map((q) => q.id));
  const fields = [...form];
  const attributes = Object.fromEntries(
    fields
      .filter(([key]) => key.startsWith('attr.'))
      .map(([key, value]): [string, string] => [key.slice(5), value])
      // lang, t, sig and score are never segment attributes, whatever a crafted post says.
      .filter(([key]) => !UNSIGNED_PARAMS.has(key)),
  );
  refusePrototypeKeys(attributes, 'attributes');
  return {
    answers: Object.fromEntries(fields.filter(([key]) => questions.has(key))),
    attributes,
    submissionId: form.get('submissionId') ?? '',
    locale: form.get('locale') ?? undefined,
    token: form.get('t') ?? undefined,
    sig: form.get('sig') ?? undefined,
  };
}

/** The segment attributes of a survey link: its query parameters but lang, t, sig and score. */
export function linkAttributes(query: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const attributes = Object.fromEntries(
    Object.entries(query).filter(
      (entry): entry is [string, string] => !UNSIGNED_PARAMS.has(entry[0]) && entry[1] !== undefined,
    ),
  );
  refusePrototypeKeys(attributes, 'attributes');
  return attributes;
}

/** `?score=9` from an email's 0-10 scale preselects the first question's answer, when that is an NPS one. */
export function answersFromEmail(survey: Survey, score: string | undefined): Record<string, string> {
  const first = survey.questions[0];
  if (first?.type !== 'nps' || score === undefined || !/^(10|[0-9])$/.test(score)) return {};
  return { [first.id]: score };
}
