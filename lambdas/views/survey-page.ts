import { type Locale, localized, type Question, type Survey } from '#kernel/survey.ts';
import { html, raw, type SafeHtml } from './html.ts';
import { LANGUAGE_NAMES, messages } from './i18n.ts';
import { page } from './layout.ts';

export interface SurveyPageInput {
  readonly survey: Survey;
  readonly locale: Locale;
  /** Where the form posts (the page's own path). */
  readonly action: string;
  readonly submissionId: string;
  /** Segment attributes from the link, sent back as hidden `attr.<key>` fields. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The link's signature of `attributes`, sent back as the hidden `sig` field so the post can be verified. */
  readonly sig?: string | undefined;
  /** The invitation token of an invited customer's link, sent back as the hidden `t` field. */
  readonly token?: string | undefined;
  /** Answers to keep after a validation error. */
  readonly values?: Readonly<Record<string, string>>;
  /** questionId -> localized message, shown next to the field. */
  readonly errors?: Readonly<Record<string, string>>;
  readonly formError?: string;
}

/**
 * CSAT faces as inline SVG, not emoji: emoji fonts are missing on some phones and desktops. One shared outline
 * (`#face`) plus a mouth per score; strokes use currentColor so a selected face turns white with its label.
 */
const MOUTHS = [
  'M7 18Q12 11.5 17 18',
  'M8 16.5Q12 13.5 16 16.5',
  'M8 15.5H16',
  'M8 14.5Q12 17.5 16 14.5',
  'M7 13.5Q12 21 17 13.5Z',
];
const FACE_DEFS = raw(
  '<svg class="defs" aria-hidden="true" focusable="false"><defs><g id="face"><circle cx="12" cy="12" r="10"/><circle cx="8.5" cy="9.5" r="1.3" fill="currentColor" stroke="none"/><circle cx="15.5" cy="9.5" r="1.3" fill="currentColor" stroke="none"/></g></defs></svg>',
);
const face = (mouth: string) =>
  html`<svg class="face" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><use href="#face"/><path d="${mouth}"/></svg>`;

function options(
  q: Question,
  labels: ReadonlyArray<{ value: number; text: string; face?: string | undefined; srOnly?: boolean }>,
  input: SurveyPageInput,
  layout: 'row' | 'grid' | 'list' = 'row',
): SafeHtml {
  const value = input.values?.[q.id];
  const invalid = input.errors?.[q.id] !== undefined;
  // The first radio carries the id that the error summary links to, so the link moves focus into the group.
  return html`<div class="opts ${layout}">${labels.map(
    (o, i) =>
      html`<label class="opt"><input type="radio"${i === 0 ? html` id="in-${q.id}"` : ''} name="${q.id}" value="${o.value}"${raw(String(o.value) === value ? ' checked' : '')}${raw(q.required ? ' required' : '')}${raw(invalid ? ' aria-invalid="true"' : '')}><span>${
        o.face
          ? html`${face(o.face)}<span class="sr">${o.text}</span>`
          : o.srOnly
            ? html`${o.value}`
            : html`${o.text}`
      }</span></label>`,
  )}</div>`;
}

function question(q: Question, input: SurveyPageInput, whyId: string | undefined): SafeHtml {
  const m = messages(input.locale);
  const text = localized(q.text, input.locale);
  const error = input.errors?.[q.id];
  const errorId = `err-${q.id}`;
  const described = error ? errorId : undefined;
  const errorHtml = error ? html`<p class="err" id="${errorId}">${error}</p>` : html``;
  const required = q.required ? html` <span class="req">${m.requiredMark}</span>` : html``;
  switch (q.type) {
    case 'nps': {
      const labels = Array.from({ length: 11 }, (_, i) => ({ value: i, text: String(i), srOnly: true }));
      return html`<fieldset id="q-${q.id}" aria-describedby="${[`ends-${q.id}`, described].filter(Boolean).join(' ')}"><legend>${text}${required}</legend>${options(q, labels, input, 'grid')}<div class="ends" id="ends-${q.id}"><span>0 = ${m.npsLow}</span><span>10 = ${m.npsHigh}</span></div>${errorHtml}</fieldset>`;
    }
    case 'csat': {
      const labels = m.csat.map((t, i) => ({ value: i + 1, text: `${i + 1} - ${t}`, face: MOUTHS[i] }));
      return html`<fieldset id="q-${q.id}"${described ? html` aria-describedby="${described}"` : ''}><legend>${text}${required}</legend>${options(q, labels, input)}${errorHtml}</fieldset>`;
    }
    case 'ces': {
      const words =
        q.direction === 'high-is-easy'
          ? q.scale === 7
            ? m.agree7
            : m.agree5
          : q.scale === 7
            ? m.effort7
            : m.effort5;
      const labels = words.map((t, i) => ({ value: i + 1, text: `${i + 1} - ${t}` }));
      return html`<fieldset id="q-${q.id}"${described ? html` aria-describedby="${described}"` : ''}><legend>${text}${required}</legend>${options(q, labels, input, 'list')}${errorHtml}</fieldset>`;
    }
    case 'text': {
      // The "why" prompt follows the NPS answer (promoter, passive, detractor) with CSS :has(), no script needed.
      const prompt =
        q.id === whyId
          ? html`<span class="t">${text}</span><span class="p">${m.commentPromoter}</span><span class="a">${m.commentPassive}</span><span class="d">${m.commentDetractor}</span>`
          : html`${text}`;
      return html`<div class="field${q.id === whyId ? ' why' : ''}" id="q-${q.id}"><label class="q" for="in-${q.id}">${prompt}${required}</label><textarea id="in-${q.id}" name="${q.id}" maxlength="${q.maxLength}"${described ? html` aria-describedby="${described}" aria-invalid="true"` : ''}${raw(q.required ? ' required' : '')}>${input.values?.[q.id] ?? ''}</textarea>${errorHtml}</div>`;
    }
  }
}

/** The first NPS question and the first text question after it: the comment that explains the score. */
function whyOf(survey: Survey): { npsId: string; textId: string } | undefined {
  const at = survey.questions.findIndex((q) => q.type === 'nps');
  const nps = survey.questions[at];
  const text = survey.questions.slice(at + 1).find((q) => q.type === 'text');
  // Ids go into a style sheet unescaped, so only the schema's safe alphabet qualifies.
  if (at < 0 || !nps || !text || !/^[\w-]+$/.test(nps.id)) return undefined;
  return { npsId: nps.id, textId: text.id };
}

/** CSS that swaps the comment prompt by NPS band. */
function whyCss(why: { npsId: string } | undefined): string {
  if (!why) return '';
  const show = (cls: string, values: number[]) =>
    `${values.map((v) => `form:has(input[name="${why.npsId}"][value="${v}"]:checked) .why .${cls}`).join(',')}{display:inline}`;
  return `form:has(input[name="${why.npsId}"]:checked) .why .t{display:none}${show('p', [9, 10])}${show('a', [7, 8])}${show('d', [0, 1, 2, 3, 4, 5, 6])}`;
}

/** The query of a language link: the same attributes and signature, another language. */
function linkQuery(input: SurveyPageInput, lang: Locale): string {
  const params = new URLSearchParams({ ...input.attributes, lang });
  if (input.sig) params.set('sig', input.sig);
  if (input.token) params.set('t', input.token);
  return params.toString().replaceAll('+', '%20');
}

/**
 * The survey as one self-contained HTML page (inline CSS, no script) whose native form posts urlencoded fields:
 * question ids, `attr.<key>`, `submissionId`, `locale`, `sig` and `t`. Every interpolated value is escaped.
 */
export function renderSurveyPage(input: SurveyPageInput): string {
  const { survey, locale } = input;
  const m = messages(locale);
  const title = localized(survey.title, locale);
  const errors = Object.entries(input.errors ?? {});
  const why = whyOf(survey);
  const questionText = (id: string) => {
    const q = survey.questions.find((x) => x.id === id);
    return q ? localized(q.text, locale) : id;
  };
  const summary =
    errors.length > 0 || input.formError
      ? html`<div class="summary" role="alert"><h2>${m.errorSummary}</h2><ul>${input.formError ? html`<li>${input.formError}</li>` : html``}${errors.map(
          ([id, msg]) =>
            html`<li><a href="#in-${id}">${questionText(id).replace(/[.:]\s*$/, '')}: ${msg}</a></li>`,
        )}</ul></div>`
      : html``;
  const languages =
    survey.locales.length > 1
      ? html`<nav aria-label="${m.language}">${survey.locales.map((l) =>
          l === locale
            ? html`<a aria-current="true" lang="${l}">${LANGUAGE_NAMES[l]}</a>`
            : html`<a href="?${linkQuery(input, l)}" lang="${l}" hreflang="${l}">${LANGUAGE_NAMES[l]}</a>`,
        )}</nav>`
      : html``;
  const hidden = Object.entries(input.attributes).map(
    ([k, v]) => html`<input type="hidden" name="attr.${k}" value="${v}">`,
  );
  const sig = input.sig ? html`<input type="hidden" name="sig" value="${input.sig}">` : html``;
  const token = input.token ? html`<input type="hidden" name="t" value="${input.token}">` : html``;
  const body = html`${languages}<h1>${title}</h1>${summary}<form method="post" action="${input.action}" novalidate><input type="hidden" name="submissionId" value="${input.submissionId}"><input type="hidden" name="locale" value="${locale}">${hidden}${sig}${token}${survey.questions.some((q) => q.type === 'csat') ? FACE_DEFS : ''}${survey.questions.map((q) => question(q, input, why?.textId))}<button type="submit">${m.submit}</button></form>`;
  const failed = errors.length > 0 || input.formError !== undefined;
  return page({
    locale,
    title: failed ? `${m.errorPrefix}: ${title}` : title,
    body,
    extraCss: whyCss(why),
  });
}
