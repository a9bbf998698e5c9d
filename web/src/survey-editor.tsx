import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AlertRule, LocalizedText, Owner, Question, Survey, ThresholdRule } from '#kernel/survey.ts';
import { defaultAlertRules, SURVEY_DEFAULTS } from '#kernel/survey-defaults.ts';
import { LANGUAGE_NAMES } from '#views/i18n.ts';
import { type Api, ApiError, type FieldProblem } from './api.ts';
import { Check, Choice, Field, ListField, NumberField, Problems, problemFinder } from './fields.tsx';
import { fill, LOCALES, type Locale, type Words } from './i18n.ts';
import { useLatest } from './latest.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

type EditorWords = Words['editor'];
type Severity = 'low' | 'medium' | 'high';
const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high'];
/** A rule's or a threshold's severity, in the person's words. */
const severityOptions = (words: Words) => SEVERITIES.map((s) => ({ value: s, label: words.severity[s] }));
/** A draft is previewed this long after the last keystroke, so typing a word makes one preview, not ten. */
const PREVIEW_DELAY_MS = 500;

/** What each part of the editor gets: the draft, a way to change it, the API's reasons by field, the words. */
interface Part {
  readonly draft: Survey;
  readonly set: (patch: Partial<Survey>) => void;
  readonly problemOf: (field: string) => string | undefined;
  readonly words: Words;
}

/** A new survey: one NPS question and the schema's defaults. */
const newSurvey = (): Survey => ({
  id: '',
  title: { en: '' },
  locales: [...SURVEY_DEFAULTS.locales],
  defaultLocale: SURVEY_DEFAULTS.defaultLocale,
  questions: [{ id: 'nps', type: 'nps', kind: 'transactional', text: { en: '' }, required: true }],
  segmentKeys: [],
  hierarchy: [],
  targets: {},
  minResponsesToRank: SURVEY_DEFAULTS.minResponsesToRank,
  alertWithinHours: SURVEY_DEFAULTS.alertWithinHours,
  owners: [],
  thresholds: [],
  retentionDays: SURVEY_DEFAULTS.retentionDays,
  requireSignedLinks: SURVEY_DEFAULTS.requireSignedLinks,
  rateLimit: { ...SURVEY_DEFAULTS.rateLimit },
  recovery: { ...SURVEY_DEFAULTS.recovery },
});

/** A question of another kind, keeping what the kinds share (id, wording, whether it is required). */
function retyped(q: Question, type: Question['type']): Question {
  const common = { id: q.id, text: q.text, required: q.required };
  switch (type) {
    case 'nps':
      return { ...common, type, kind: 'transactional' };
    case 'csat':
      return { ...common, type };
    case 'ces':
      return { ...common, type, scale: 7, direction: 'high-is-easy' };
    case 'text':
      return { ...common, type, maxLength: SURVEY_DEFAULTS.textMaxLength };
  }
}

/** A rule of another kind, keeping its id, severity and SLAs. */
function retypedRule(rule: AlertRule, type: AlertRule['type'], survey: Survey): AlertRule {
  const { id, severity, ackSlaHours, resolveSlaHours } = rule;
  const common = { id, severity, ackSlaHours, resolveSlaHours };
  const scored = survey.questions.find((q) => q.type !== 'text');
  switch (type) {
    case 'answer':
      return { ...common, type, questionId: scored?.id ?? '', op: 'lte', value: 0 };
    case 'keywords':
      return { ...common, type, words: {} };
    case 'attribute':
      return { ...common, type, key: '', values: [] };
  }
}

/** Text in each language as the schema wants it: the languages left empty are absent. */
const cleanText = (text: LocalizedText): LocalizedText =>
  Object.fromEntries(
    Object.entries(text).filter(([l, t]) => l === 'en' || (t ?? '').trim() !== ''),
  ) as LocalizedText;

/** The draft as the API takes it: empty optional fields absent rather than empty. */
function cleanSurvey(s: Survey): Survey {
  return {
    ...s,
    id: s.id.trim(),
    title: cleanText(s.title),
    questions: s.questions.map((q) => ({ ...q, text: cleanText(q.text) })),
    owners: s.owners.map((o) => ({
      segment: o.segment,
      email: o.email,
      ...(o.name?.trim() ? { name: o.name } : {}),
      ...(o.locale ? { locale: o.locale } : {}),
    })),
    ...(s.alertRules
      ? {
          alertRules: s.alertRules.map((r) =>
            r.type === 'keywords' && !r.questionId ? { ...r, questionId: undefined } : r,
          ),
        }
      : {}),
  };
}

/** The list with the item at `i` moved one place up. */
const up = <T,>(list: readonly T[], i: number): T[] => {
  const next = [...list];
  const [item] = next.splice(i, 1);
  if (item !== undefined) next.splice(i - 1, 0, item);
  return next;
};
const without = <T,>(list: readonly T[], i: number): T[] => list.filter((_, j) => j !== i);
const replaced = <T,>(list: readonly T[], i: number, item: T): T[] =>
  list.map((x, j) => (j === i ? item : x));

/**
 * The survey editor: every part of a survey definition as a form, checked by the API's own schema on each change
 * (a preview is asked for, which the schema checks as it checks a save) and shown as the customer's page beside it.
 * Nothing reaches customers until the survey is saved with `PUT /v1/surveys/{id}`.
 */
export function Surveys({ api, locale, words }: Props) {
  const w = words.editor;
  const [surveys, setSurveys] = useState<Survey[] | undefined>();
  const [picked, setPicked] = useState<string>('');
  const [draft, setDraft] = useState<Survey | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [problems, setProblems] = useState<readonly FieldProblem[]>([]);
  const [saveProblems, setSaveProblems] = useState<readonly FieldProblem[]>([]);
  const [preview, setPreview] = useState<string | undefined>();
  const [previewLang, setPreviewLang] = useState<Locale>(locale);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const latest = useLatest();

  const pick = (id: string, from: readonly Survey[]) => {
    const survey = from.find((s) => s.id === id);
    setPicked(survey ? id : '');
    setDraft(survey ? structuredClone(survey) : newSurvey());
    setSaved(false);
    setSaveProblems([]);
  };
  useEffect(() => {
    api
      .surveys()
      .then(({ items }) => {
        setSurveys(items);
        pick(items[0]?.id ?? '', items);
      })
      .catch((err: Error) => setFailure(err.message));
  }, [api]);

  // Each change is previewed once typing pauses: the API checks the draft as it would a save.
  useEffect(() => {
    if (!draft) return;
    const current = latest.begin();
    const timer = setTimeout(() => {
      api
        .previewSurvey(cleanSurvey(draft))
        .then((view) => {
          if (!current()) return;
          setPreview(view.path);
          setProblems([]);
        })
        .catch((err: Error) => {
          if (!current()) return;
          setPreview(undefined);
          setProblems(problemsOf(err));
        });
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, api]);

  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  if (!surveys || !draft) return <p aria-live="polite">…</p>;
  // A change makes the last save's verdict old: the live check of the new draft marks the fields from then on.
  const set = (patch: Partial<Survey>) => {
    setSaved(false);
    setSaveProblems([]);
    setDraft({ ...draft, ...patch });
  };
  const shown = saveProblems.length > 0 ? saveProblems : problems;
  const part: Part = { draft, set, problemOf: problemFinder(shown), words };
  const isNew = picked === '';
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setSaveProblems([]);
    try {
      const survey = await api.saveSurvey(cleanSurvey(draft));
      const others = surveys.filter((s) => s.id !== survey.id);
      setSurveys([...others, survey]);
      setPicked(survey.id);
      setSaved(true);
    } catch (err) {
      setSaveProblems(problemsOf(err as Error));
    } finally {
      setBusy(false);
    }
  };
  const previewLanguages = [...new Set<Locale>(['en', ...draft.locales])];

  return (
    <section aria-labelledby="surveys-title" class="survey-editor">
      <h1 id="surveys-title">{words.surveys}</h1>
      <p>{w.intro}</p>
      <label class="pick">
        {w.pick}
        <select value={picked} onChange={(e) => pick(e.currentTarget.value, surveys)}>
          {surveys.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title[locale] ?? s.title.en} ({s.id})
            </option>
          ))}
          <option value="">{w.newSurvey}</option>
        </select>
      </label>
      <div class="editing">
        <form class="editor" onSubmit={(e) => void onSubmit(e)} noValidate>
          {isNew && (
            <Field
              label={w.id}
              name="id"
              value={draft.id}
              problem={part.problemOf('id')}
              onInput={(id) => set({ id })}
            />
          )}
          <Basics {...part} />
          <Questions {...part} />
          <Places {...part} />
          <Rules {...part} />
          <Thresholds {...part} />
          <Owners {...part} />
          <Settings {...part} />
          <div class="row">
            <button type="submit" disabled={busy}>
              {w.save}
            </button>
          </div>
          {saved && <p role="status">{w.saved}</p>}
          <Problems title={w.invalid} problems={saveProblems} />
        </form>
        <aside class="preview" aria-labelledby="preview-title">
          <h2 id="preview-title">{w.preview}</h2>
          <Choice
            label={w.previewLanguage}
            name="previewLanguage"
            value={previewLang}
            options={previewLanguages.map((l) => ({ value: l, label: LANGUAGE_NAMES[l], lang: l }))}
            problem={undefined}
            onChange={setPreviewLang}
          />
          {preview ? (
            <>
              <iframe title={w.previewTitle} src={`${preview}?lang=${previewLang}`} sandbox="" />
              <p class="hint">{w.previewNote}</p>
            </>
          ) : (
            <Problems title={w.previewWaiting} problems={problems} />
          )}
        </aside>
      </div>
    </section>
  );
}

const problemsOf = (err: Error): FieldProblem[] =>
  err instanceof ApiError && err.errors.length > 0 ? [...err.errors] : [{ field: '', message: err.message }];

/** The languages to write a text in: English (every text's fallback) and the survey's. */
const languagesOf = (draft: Survey): Locale[] => [...new Set<Locale>(['en', ...draft.locales])];

/** One text in each of the survey's languages. */
function TextIn(props: {
  label: string;
  name: string;
  text: LocalizedText;
  draft: Survey;
  problemOf: (field: string) => string | undefined;
  onInput: (text: LocalizedText) => void;
}) {
  return (
    <>
      {languagesOf(props.draft).map((l) => (
        <Field
          key={l}
          label={fill(props.label, { language: LANGUAGE_NAMES[l] })}
          name={`${props.name}.${l}`}
          value={props.text[l] ?? ''}
          problem={
            props.problemOf(`${props.name}.${l}`) ?? (l === 'en' ? props.problemOf(props.name) : undefined)
          }
          onInput={(t) => props.onInput({ ...props.text, [l]: t })}
        />
      ))}
    </>
  );
}

function Basics({ draft, set, problemOf, words }: Part) {
  const w = words.editor;
  return (
    <fieldset>
      <legend>{w.basics}</legend>
      <TextIn
        label={w.titleIn}
        name="title"
        text={draft.title}
        draft={draft}
        problemOf={problemOf}
        onInput={(title) => set({ title })}
      />
      <fieldset>
        <legend>{w.languages}</legend>
        {LOCALES.map((l) => (
          <Check
            key={l}
            label={LANGUAGE_NAMES[l]}
            name={`locales.${l}`}
            checked={draft.locales.includes(l)}
            onChange={(on) =>
              set({ locales: LOCALES.filter((x) => (x === l ? on : draft.locales.includes(x))) })
            }
          />
        ))}
        {problemOf('locales') && <span class="problem">{problemOf('locales')}</span>}
      </fieldset>
      <Choice
        label={w.defaultLanguage}
        name="defaultLocale"
        value={draft.defaultLocale}
        options={LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l], lang: l }))}
        problem={problemOf('defaultLocale')}
        onChange={(defaultLocale) => set({ defaultLocale })}
      />
    </fieldset>
  );
}

function Questions({ draft, set, problemOf, words }: Part) {
  const w = words.editor;
  const types = (['nps', 'csat', 'ces', 'text'] as const).map((t) => ({ value: t, label: w.types[t] }));
  return (
    <fieldset>
      <legend>{w.questions}</legend>
      {problemOf('questions') && <span class="problem">{problemOf('questions')}</span>}
      <Items<Question>
        items={draft.questions}
        legend={w.questionOf}
        add={{
          label: w.addQuestion,
          make: () => ({
            id: `q${draft.questions.length + 1}`,
            type: 'csat',
            text: { en: '' },
            required: true,
          }),
        }}
        minimum={1}
        words={w}
        onChange={(questions) => set({ questions })}
      >
        {(q, i, setItem) => {
          const at = `questions.${i}`;
          return (
            <>
              <Choice
                label={w.questionType}
                name={`${at}.type`}
                value={q.type}
                options={types}
                problem={problemOf(`${at}.type`)}
                onChange={(type) => setItem(retyped(q, type))}
              />
              <Field
                label={w.questionId}
                name={`${at}.id`}
                value={q.id}
                problem={problemOf(`${at}.id`)}
                onInput={(id) => setItem({ ...q, id })}
              />
              <TextIn
                label={w.textIn}
                name={`${at}.text`}
                text={q.text}
                draft={draft}
                problemOf={problemOf}
                onInput={(text) => setItem({ ...q, text })}
              />
              <Check
                label={w.required}
                name={`${at}.required`}
                checked={q.required}
                onChange={(required) => setItem({ ...q, required })}
              />
              {q.type === 'nps' && (
                <Choice
                  label={w.npsKind}
                  name={`${at}.kind`}
                  value={q.kind}
                  options={(['transactional', 'relational'] as const).map((k) => ({
                    value: k,
                    label: w.kinds[k],
                  }))}
                  problem={problemOf(`${at}.kind`)}
                  onChange={(kind) => setItem({ ...q, kind })}
                />
              )}
              {q.type === 'ces' && (
                <>
                  <Choice
                    label={w.cesScale}
                    name={`${at}.scale`}
                    value={String(q.scale) as '7' | '5'}
                    options={(['7', '5'] as const).map((s) => ({ value: s, label: w.scales[s] }))}
                    problem={problemOf(`${at}.scale`)}
                    onChange={(s) => setItem({ ...q, scale: s === '5' ? 5 : 7 })}
                  />
                  <Choice
                    label={w.cesDirection}
                    name={`${at}.direction`}
                    value={q.direction}
                    options={(['high-is-easy', 'high-is-hard'] as const).map((d) => ({
                      value: d,
                      label: w.directions[d],
                    }))}
                    problem={problemOf(`${at}.direction`)}
                    onChange={(direction) => setItem({ ...q, direction })}
                  />
                </>
              )}
              {q.type === 'text' && (
                <NumberField
                  label={w.maxLength}
                  name={`${at}.maxLength`}
                  value={q.maxLength}
                  problem={problemOf(`${at}.maxLength`)}
                  fallback={SURVEY_DEFAULTS.textMaxLength}
                  onInput={(maxLength) => setItem({ ...q, maxLength })}
                />
              )}
            </>
          );
        }}
      </Items>
    </fieldset>
  );
}

/**
 * The things of a survey that come in a list (questions, rules, thresholds, owners): each in its own group named
 * after its place ("Question 2"), moved up and removed by that name (a screen reader hears "Move question 2 up"),
 * and one more added at the end.
 */
function Items<T>(props: {
  items: readonly T[];
  /** The group's name, `{n}` its place from 1. */
  legend: string;
  add: { label: string; make: () => T } | undefined;
  /** Items that must stay (a survey keeps one question). @default 0 */
  minimum?: number;
  words: EditorWords;
  onChange: (items: T[]) => void;
  children: (item: T, i: number, setItem: (item: T) => void) => ComponentChildren;
}) {
  const { items, words, onChange } = props;
  return (
    <>
      {items.map((item, i) => {
        const name = fill(props.legend, { n: String(i + 1) });
        return (
          <fieldset key={i} data-item={i}>
            <legend>{name}</legend>
            {props.children(item, i, (next) => onChange(replaced(items, i, next)))}
            <div class="row">
              {i > 0 && (
                <button type="button" class="secondary" onClick={() => onChange(up(items, i))}>
                  {fill(words.moveUp, { what: name })}
                </button>
              )}
              {items.length > (props.minimum ?? 0) && (
                <button type="button" class="secondary" onClick={() => onChange(without(items, i))}>
                  {fill(words.remove, { what: name })}
                </button>
              )}
            </div>
          </fieldset>
        );
      })}
      {props.add && (
        <button
          type="button"
          class="secondary"
          onClick={() => props.add && onChange([...items, props.add.make()])}
        >
          {props.add.label}
        </button>
      )}
    </>
  );
}

const scoredOf = (draft: Survey) => draft.questions.filter((q) => q.type !== 'text');
const questionName = (q: Question) => q.text.en || q.id;

function Places({ draft, set, problemOf, words }: Part) {
  const w = words.editor;
  return (
    <fieldset>
      <legend>{w.places}</legend>
      <ListField
        label={w.segmentKeys}
        name="segmentKeys"
        value={draft.segmentKeys}
        problem={problemOf('segmentKeys') ?? listProblem(problemOf, 'segmentKeys', draft.segmentKeys)}
        onInput={(segmentKeys) => set({ segmentKeys })}
      />
      <ListField
        label={w.hierarchy}
        name="hierarchy"
        value={draft.hierarchy}
        problem={problemOf('hierarchy') ?? listProblem(problemOf, 'hierarchy', draft.hierarchy)}
        onInput={(hierarchy) => set({ hierarchy })}
      />
      <NumberField
        label={w.minToRank}
        name="minResponsesToRank"
        value={draft.minResponsesToRank}
        problem={problemOf('minResponsesToRank')}
        fallback={SURVEY_DEFAULTS.minResponsesToRank}
        onInput={(minResponsesToRank) => set({ minResponsesToRank })}
      />
      {scoredOf(draft).map((q) => (
        <NumberField
          key={q.id}
          label={fill(w.targetOf, { question: questionName(q) })}
          name={`targets.${q.id}`}
          step="any"
          value={draft.targets[q.id]}
          problem={problemOf(`targets.${q.id}`)}
          onInput={(target) => {
            const { [q.id]: _, ...others } = draft.targets;
            set({ targets: target === undefined ? others : { ...others, [q.id]: target } });
          }}
        />
      ))}
    </fieldset>
  );
}

/** The reason the API gave for one item of a list typed in one field (`hierarchy.1`), named after that item. */
function listProblem(
  problemOf: (field: string) => string | undefined,
  name: string,
  list: readonly string[],
): string | undefined {
  for (const [i, item] of list.entries()) {
    const problem = problemOf(`${name}.${i}`);
    if (problem) return `${item}: ${problem}`;
  }
  return undefined;
}

function Rules({ draft, set, problemOf, words }: Part) {
  const w = words.editor;
  const rules = draft.alertRules;
  const scored = scoredOf(draft).map((q) => ({ value: q.id, label: questionName(q) }));
  const texts = draft.questions
    .filter((q) => q.type === 'text')
    .map((q) => ({ value: q.id, label: questionName(q) }));
  return (
    <fieldset>
      <legend>{w.rules}</legend>
      <Check
        label={w.defaultRules}
        name="alertRules.default"
        checked={rules === undefined}
        // Own rules start as the defaults written out, so a team changes their SLAs rather than starts from nothing.
        onChange={(on) => set({ alertRules: on ? undefined : defaultAlertRules(draft) })}
      />
      <Items<AlertRule>
        items={rules ?? []}
        legend={w.ruleOf}
        add={
          rules !== undefined
            ? {
                label: w.addRule,
                make: () =>
                  retypedRule(
                    {
                      id: `rule-${rules.length + 1}`,
                      type: 'answer',
                      severity: 'medium',
                      questionId: '',
                      op: 'lte',
                      value: 0,
                    },
                    'answer',
                    draft,
                  ),
              }
            : undefined
        }
        words={w}
        onChange={(alertRules) => set({ alertRules })}
      >
        {(rule, i, setItem) => {
          const at = `alertRules.${i}`;
          return (
            <>
              <Choice
                label={w.ruleType}
                name={`${at}.type`}
                value={rule.type}
                options={(['answer', 'keywords', 'attribute'] as const).map((t) => ({
                  value: t,
                  label: w.ruleTypes[t],
                }))}
                problem={problemOf(`${at}.type`)}
                onChange={(type) => setItem(retypedRule(rule, type, draft))}
              />
              <Field
                label={w.ruleId}
                name={`${at}.id`}
                value={rule.id}
                problem={problemOf(`${at}.id`)}
                onInput={(id) => setItem({ ...rule, id })}
              />
              {rule.type === 'answer' && (
                <>
                  <Choice
                    label={w.question}
                    name={`${at}.questionId`}
                    value={rule.questionId}
                    options={scored}
                    problem={problemOf(`${at}.questionId`)}
                    onChange={(questionId) => setItem({ ...rule, questionId })}
                  />
                  <Choice
                    label={w.op}
                    name={`${at}.op`}
                    value={rule.op}
                    options={(['lte', 'gte'] as const).map((o) => ({ value: o, label: w.ops[o] }))}
                    problem={problemOf(`${at}.op`)}
                    onChange={(op) => setItem({ ...rule, op })}
                  />
                  <NumberField
                    label={w.value}
                    name={`${at}.value`}
                    value={rule.value}
                    problem={problemOf(`${at}.value`)}
                    fallback={0}
                    onInput={(value) => setItem({ ...rule, value })}
                  />
                </>
              )}
              {rule.type === 'keywords' && (
                <>
                  <Choice
                    label={w.question}
                    name={`${at}.questionId`}
                    value={rule.questionId ?? ''}
                    options={[{ value: '', label: w.anyText }, ...texts]}
                    problem={problemOf(`${at}.questionId`)}
                    onChange={(questionId) => setItem({ ...rule, questionId: questionId || undefined })}
                  />
                  {LOCALES.map((l) => (
                    <ListField
                      key={l}
                      label={fill(w.wordsIn, { language: LANGUAGE_NAMES[l] })}
                      name={`${at}.words.${l}`}
                      value={rule.words[l] ?? []}
                      problem={
                        problemOf(`${at}.words.${l}`) ??
                        listProblem(problemOf, `${at}.words.${l}`, rule.words[l] ?? []) ??
                        (l === 'en' ? problemOf(`${at}.words`) : undefined)
                      }
                      onInput={(list) => setItem({ ...rule, words: { ...rule.words, [l]: list } })}
                    />
                  ))}
                </>
              )}
              {rule.type === 'attribute' && (
                <>
                  <Field
                    label={w.attributeKey}
                    name={`${at}.key`}
                    value={rule.key}
                    problem={problemOf(`${at}.key`)}
                    onInput={(key) => setItem({ ...rule, key })}
                  />
                  <ListField
                    label={w.attributeValues}
                    name={`${at}.values`}
                    value={rule.values}
                    problem={problemOf(`${at}.values`) ?? listProblem(problemOf, `${at}.values`, rule.values)}
                    onInput={(values) => setItem({ ...rule, values })}
                  />
                </>
              )}
              <Choice
                label={w.severity}
                name={`${at}.severity`}
                value={rule.severity}
                options={severityOptions(words)}
                problem={problemOf(`${at}.severity`)}
                onChange={(severity) => setItem({ ...rule, severity })}
              />
              <NumberField
                label={w.ackSla}
                name={`${at}.ackSlaHours`}
                step="any"
                value={rule.ackSlaHours}
                problem={problemOf(`${at}.ackSlaHours`)}
                onInput={(ackSlaHours) => setItem({ ...rule, ackSlaHours })}
              />
              <NumberField
                label={w.resolveSla}
                name={`${at}.resolveSlaHours`}
                step="any"
                value={rule.resolveSlaHours}
                problem={problemOf(`${at}.resolveSlaHours`)}
                onInput={(resolveSlaHours) => setItem({ ...rule, resolveSlaHours })}
              />
            </>
          );
        }}
      </Items>
      <NumberField
        label={w.alertWithin}
        name="alertWithinHours"
        value={draft.alertWithinHours}
        problem={problemOf('alertWithinHours')}
        fallback={SURVEY_DEFAULTS.alertWithinHours}
        onInput={(alertWithinHours) => set({ alertWithinHours })}
      />
    </fieldset>
  );
}

function Thresholds({ draft, set, problemOf, words }: Part) {
  const w = words.editor;
  const scored = scoredOf(draft).map((q) => ({ value: q.id, label: questionName(q) }));
  const places = [
    { value: 'all', label: w.everyPlace },
    ...draft.segmentKeys.map((k) => ({ value: k, label: fill(w.eachValueOf, { key: k }) })),
  ];
  return (
    <fieldset>
      <legend>{w.thresholds}</legend>
      <Items<ThresholdRule>
        items={draft.thresholds}
        legend={w.thresholdOf}
        add={{
          label: w.addThreshold,
          make: () => ({
            id: `threshold-${draft.thresholds.length + 1}`,
            questionId: scoredOf(draft)[0]?.id ?? '',
            segmentKey: 'all',
            windowDays: SURVEY_DEFAULTS.threshold.windowDays,
            minResponses: SURVEY_DEFAULTS.threshold.minResponses,
            severity: 'high',
          }),
        }}
        words={w}
        onChange={(thresholds) => set({ thresholds })}
      >
        {(t, i, setItem) => {
          const at = `thresholds.${i}`;
          return (
            <>
              {problemOf(at) && <span class="problem">{problemOf(at)}</span>}
              <Field
                label={w.ruleId}
                name={`${at}.id`}
                value={t.id}
                problem={problemOf(`${at}.id`)}
                onInput={(id) => setItem({ ...t, id })}
              />
              <Choice
                label={w.question}
                name={`${at}.questionId`}
                value={t.questionId}
                options={scored}
                problem={problemOf(`${at}.questionId`)}
                onChange={(questionId) => setItem({ ...t, questionId })}
              />
              <Choice
                label={w.thresholdPlace}
                name={`${at}.segmentKey`}
                value={t.segmentKey}
                options={places}
                problem={problemOf(`${at}.segmentKey`)}
                onChange={(segmentKey) => setItem({ ...t, segmentKey })}
              />
              <Choice
                label={w.windowDays}
                name={`${at}.windowDays`}
                value={String(t.windowDays) as '7' | '30'}
                options={(['7', '30'] as const).map((d) => ({ value: d, label: w.windowOptions[d] }))}
                problem={problemOf(`${at}.windowDays`)}
                onChange={(d) => setItem({ ...t, windowDays: d === '30' ? 30 : 7 })}
              />
              <NumberField
                label={w.below}
                name={`${at}.below`}
                step="any"
                value={t.below}
                problem={problemOf(`${at}.below`)}
                onInput={(below) => setItem({ ...t, below })}
              />
              <NumberField
                label={w.dropBy}
                name={`${at}.dropBy`}
                step="any"
                value={t.dropBy}
                problem={problemOf(`${at}.dropBy`)}
                onInput={(dropBy) => setItem({ ...t, dropBy })}
              />
              <NumberField
                label={w.minResponses}
                name={`${at}.minResponses`}
                value={t.minResponses}
                problem={problemOf(`${at}.minResponses`)}
                fallback={SURVEY_DEFAULTS.threshold.minResponses}
                onInput={(minResponses) => setItem({ ...t, minResponses })}
              />
              <Choice
                label={w.severity}
                name={`${at}.severity`}
                value={t.severity}
                options={severityOptions(words)}
                problem={problemOf(`${at}.severity`)}
                onChange={(severity) => setItem({ ...t, severity })}
              />
            </>
          );
        }}
      </Items>
    </fieldset>
  );
}

function Owners({ draft, set, problemOf, words }: Part) {
  const w = words.editor;
  return (
    <fieldset>
      <legend>{w.owners}</legend>
      <p class="hint">{w.ownersIntro}</p>
      <Items<Owner>
        items={draft.owners}
        legend={w.ownerOf}
        add={{ label: w.addOwner, make: () => ({ segment: '*', email: '' }) }}
        words={w}
        onChange={(owners) => set({ owners })}
      >
        {(o, i, setItem) => {
          const at = `owners.${i}`;
          return (
            <>
              <Field
                label={w.ownerSegment}
                name={`${at}.segment`}
                value={o.segment}
                problem={problemOf(`${at}.segment`)}
                onInput={(segment) => setItem({ ...o, segment })}
              />
              <Field
                label={words.tierName}
                name={`${at}.name`}
                value={o.name ?? ''}
                problem={problemOf(`${at}.name`)}
                onInput={(n) => setItem({ ...o, name: n })}
              />
              <Field
                label={words.tierEmail}
                name={`${at}.email`}
                type="email"
                value={o.email}
                problem={problemOf(`${at}.email`)}
                onInput={(email) => setItem({ ...o, email })}
              />
              <Choice
                label={words.tierLocale}
                name={`${at}.locale`}
                value={o.locale ?? ''}
                options={[
                  { value: '', label: words.surveyLanguage },
                  ...LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l], lang: l })),
                ]}
                problem={problemOf(`${at}.locale`)}
                onChange={(l) => setItem({ ...o, locale: l || undefined })}
              />
            </>
          );
        }}
      </Items>
    </fieldset>
  );
}

function Settings({ draft, set, problemOf, words }: Part) {
  const w = words.editor;
  const { recovery, rateLimit } = draft;
  return (
    <>
      <fieldset>
        <legend>{w.recovery}</legend>
        <Check
          label={w.followUp}
          name="recovery.followUp"
          checked={recovery.followUp}
          onChange={(followUp) => set({ recovery: { ...recovery, followUp } })}
        />
        <NumberField
          label={w.delayHours}
          name="recovery.delayHours"
          value={recovery.delayHours}
          problem={problemOf('recovery.delayHours')}
          fallback={SURVEY_DEFAULTS.recovery.delayHours}
          onInput={(delayHours) => set({ recovery: { ...recovery, delayHours } })}
        />
      </fieldset>
      <fieldset>
        <legend>{w.settings}</legend>
        <NumberField
          label={w.retentionDays}
          name="retentionDays"
          value={draft.retentionDays}
          problem={problemOf('retentionDays')}
          fallback={SURVEY_DEFAULTS.retentionDays}
          onInput={(retentionDays) => set({ retentionDays })}
        />
        <Check
          label={w.signedLinks}
          name="requireSignedLinks"
          checked={draft.requireSignedLinks}
          onChange={(requireSignedLinks) => set({ requireSignedLinks })}
        />
        {(['perDevice', 'perAddress', 'windowMinutes'] as const).map((k) => (
          <NumberField
            key={k}
            label={w[k]}
            name={`rateLimit.${k}`}
            value={rateLimit[k]}
            problem={problemOf(`rateLimit.${k}`)}
            fallback={SURVEY_DEFAULTS.rateLimit[k]}
            onInput={(n: number) => set({ rateLimit: { ...rateLimit, [k]: n } })}
          />
        ))}
      </fieldset>
    </>
  );
}
