import { type Locale, localized, type Question, type Survey } from '#domain/survey.ts';
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
  /** Answers to keep after a validation error. */
  readonly values?: Readonly<Record<string, string>>;
  /** questionId -> localized message, shown next to the field. */
  readonly errors?: Readonly<Record<string, string>>;
  readonly formError?: string;
}

const FACES = ['😞', '🙁', '😐', '🙂', '😄'];

function options(
  q: Question,
  labels: ReadonlyArray<{ value: number; text: string; face?: string; srOnly?: boolean }>,
  input: SurveyPageInput,
  list = false,
): SafeHtml {
  const value = input.values?.[q.id];
  const invalid = input.errors?.[q.id] !== undefined;
  return html`<div class="opts${list ? ' list' : ''}">${labels.map(
    (o) =>
      html`<label class="opt"><input type="radio" name="${q.id}" value="${o.value}"${raw(String(o.value) === value ? ' checked' : '')}${raw(q.required ? ' required' : '')}${raw(invalid ? ' aria-invalid="true"' : '')}><span>${
        o.face
          ? html`<span class="face" aria-hidden="true">${o.face}</span><span class="sr">${o.text}</span>`
          : o.srOnly
            ? html`${o.value}`
            : html`${o.text}`
      }</span></label>`,
  )}</div>`;
}

function question(q: Question, input: SurveyPageInput): SafeHtml {
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
      return html`<fieldset id="q-${q.id}" aria-describedby="${[`ends-${q.id}`, described].filter(Boolean).join(' ')}"><legend>${text}${required}</legend>${options(q, labels, input)}<div class="ends" id="ends-${q.id}"><span>0 = ${m.npsLow}</span><span>10 = ${m.npsHigh}</span></div>${errorHtml}</fieldset>`;
    }
    case 'csat': {
      const labels = m.csat.map((t, i) => ({ value: i + 1, text: `${i + 1} - ${t}`, face: FACES[i] }));
      return html`<fieldset id="q-${q.id}"${raw(described ? ` aria-describedby="${described}"` : '')}><legend>${text}${required}</legend>${options(q, labels, input)}${errorHtml}</fieldset>`;
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
      return html`<fieldset id="q-${q.id}"${raw(described ? ` aria-describedby="${described}"` : '')}><legend>${text}${required}</legend>${options(q, labels, input, true)}${errorHtml}</fieldset>`;
    }
    case 'text': {
      // The prompt follows the NPS answer (promoter, passive, detractor) with CSS :has(), no script needed.
      return html`<div class="field why" id="q-${q.id}"><label class="q" for="in-${q.id}"><span class="t">${text}</span><span class="p">${m.commentPromoter}</span><span class="a">${m.commentPassive}</span><span class="d">${m.commentDetractor}</span>${required}</label><textarea id="in-${q.id}" name="${q.id}" maxlength="${q.maxLength}"${raw(described ? ` aria-describedby="${described}" aria-invalid="true"` : '')}${raw(q.required ? ' required' : '')}>${input.values?.[q.id] ?? ''}</textarea>${errorHtml}</div>`;
    }
  }
}

/** CSS that swaps the comment prompt by NPS band, for the survey's first NPS question. */
function whyCss(survey: Survey): string {
  const nps = survey.questions.find((q) => q.type === 'nps');
  if (!nps) return '';
  const show = (cls: string, values: number[]) =>
    `${values.map((v) => `form:has(input[name="${nps.id}"][value="${v}"]:checked) .why .${cls}`).join(',')}{display:inline}`;
  return `form:has(input[name="${nps.id}"]:checked) .why .t{display:none}${show('p', [9, 10])}${show('a', [7, 8])}${show('d', [0, 1, 2, 3, 4, 5, 6])}`;
}

export function renderSurveyPage(input: SurveyPageInput): string {
  const { survey, locale } = input;
  const m = messages(locale);
  const title = localized(survey.title, locale);
  const errors = Object.entries(input.errors ?? {});
  const questionText = (id: string) => {
    const q = survey.questions.find((x) => x.id === id);
    return q ? localized(q.text, locale) : id;
  };
  const summary =
    errors.length > 0 || input.formError
      ? html`<div class="summary" role="alert"><h2>${m.errorSummary}</h2><ul>${input.formError ? html`<li>${input.formError}</li>` : html``}${errors.map(
          ([id, msg]) => html`<li><a href="#q-${id}">${questionText(id)}: ${msg}</a></li>`,
        )}</ul></div>`
      : html``;
  const languages =
    survey.locales.length > 1
      ? html`<nav aria-label="${m.language}">${survey.locales.map((l) =>
          l === locale
            ? html`<a aria-current="true" lang="${l}">${LANGUAGE_NAMES[l]}</a>`
            : html`<a href="?lang=${l}" lang="${l}" hreflang="${l}">${LANGUAGE_NAMES[l]}</a>`,
        )}</nav>`
      : html``;
  const hidden = Object.entries(input.attributes).map(
    ([k, v]) => html`<input type="hidden" name="attr.${k}" value="${v}">`,
  );
  const body = html`${languages}<h1>${title}</h1>${summary}<form method="post" action="${input.action}" novalidate><input type="hidden" name="submissionId" value="${input.submissionId}"><input type="hidden" name="locale" value="${locale}">${hidden}${survey.questions.map((q) => question(q, input))}<button type="submit">${m.submit}</button></form>`;
  return page({ locale, title, body, extraCss: whyCss(survey) });
}
