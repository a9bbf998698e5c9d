import { useState } from 'preact/hooks';
import type { Api } from './api.ts';
import { fill, type Locale, type Words } from './i18n.ts';
import { useSurveys } from './surveys.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

interface Made {
  readonly url: string;
  readonly svg: string;
  readonly png: string;
  readonly name: string;
}

/** `text` as a data: URL; the SVG is shown through <img>, so nothing in it can run. */
const dataUrl = (type: string, text: string) =>
  `data:${type};base64,${btoa(String.fromCharCode(...new TextEncoder().encode(text)))}`;

/** A file name from the survey and the link's attributes: `qr-demo-store-s-001`. */
const fileName = (surveyId: string, attributes: Record<string, string>) =>
  ['qr', surveyId, ...Object.entries(attributes).flat()]
    .join('-')
    .replace(/[^a-zA-Z0-9_-]+/g, '_')
    .slice(0, 120);

/**
 * Links and QR codes: a signed survey link carrying the segment attributes of a place (a store, a table, a
 * channel), its QR code to preview, and the code to download as SVG (print) or PNG (screens, documents).
 */
export function Links({ api, locale, words }: Props) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [lang, setLang] = useState('');
  const [made, setMade] = useState<Made | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const { surveys, surveyId, setSurveyId } = useSurveys(api, setFailure);

  const survey = surveys?.find((s) => s.id === surveyId);
  const make = async () => {
    setFailure(undefined);
    setMade(undefined);
    const attributes = Object.fromEntries(
      Object.entries(values)
        .map(([k, v]) => [k, v.trim()] as const)
        .filter(([k, v]) => v !== '' && survey?.segmentKeys.includes(k)),
    );
    try {
      const link = await api.link(surveyId, attributes, lang || undefined);
      setMade({
        url: link.url,
        svg: dataUrl('image/svg+xml', link.qr.svg),
        png: `data:image/png;base64,${link.qr.png}`,
        name: fileName(surveyId, attributes),
      });
    } catch (err) {
      setFailure((err as Error).message);
    }
  };

  return (
    <section aria-labelledby="links-title">
      <h1 id="links-title">{words.links}</h1>
      <p>{words.linksIntro}</p>
      <form
        class="action"
        onSubmit={(e) => {
          e.preventDefault();
          void make();
        }}
      >
        <label for="link-survey">{words.survey}</label>
        <select
          id="link-survey"
          value={surveyId}
          onChange={(e) => {
            setSurveyId(e.currentTarget.value);
            setMade(undefined);
          }}
        >
          {(surveys ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.title[locale] ?? s.title.en ?? s.id}
            </option>
          ))}
        </select>
        {(survey?.segmentKeys ?? []).map((key) => (
          <>
            <label key={`l-${key}`} for={`link-${key}`}>
              {key}
            </label>
            <input
              key={`i-${key}`}
              id={`link-${key}`}
              maxLength={200}
              value={values[key] ?? ''}
              onInput={(e) => setValues({ ...values, [key]: e.currentTarget.value })}
            />
          </>
        ))}
        <label for="link-lang">{words.linkLanguage}</label>
        <select id="link-lang" value={lang} onChange={(e) => setLang(e.currentTarget.value)}>
          <option value="">{words.linkLanguageAny}</option>
          {(survey?.locales ?? []).map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!survey}>
          {words.makeLink}
        </button>
      </form>
      {failure && <p role="alert">{fill(words.actionFailed, { reason: failure })}</p>}
      {made && (
        <div class="made" aria-live="polite">
          <h2>{words.yourLink}</h2>
          <p class="url">
            <a href={made.url}>{made.url}</a>
          </p>
          <img src={made.svg} alt={fill(words.qrAlt, { url: made.url })} width={240} height={240} />
          <p class="downloads">
            <a href={made.svg} download={`${made.name}.svg`} data-format="svg">
              {words.downloadSvg}
            </a>
            <a href={made.png} download={`${made.name}.png`} data-format="png">
              {words.downloadPng}
            </a>
          </p>
        </div>
      )}
    </section>
  );
}
