import { useEffect, useState } from 'preact/hooks';
import type { ActionPlan, PlanImpact, PlanInput } from '#loop/rules/plans.ts';
import { useMay } from './access.ts';
import type { Api } from './api.ts';
import { PeriodsChart } from './charts.tsx';
import { fill, type Locale, number, type Words } from './i18n.ts';
import { useSurveys } from './surveys.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

const TASK_STATUSES = ['todo', 'doing', 'done'] as const;

/** What the API takes back: the plan without the fields it keeps itself, and without its impact. */
const inputOf = ({
  planId: _id,
  createdAt: _c,
  updatedAt: _u,
  impact: _impact,
  ...input
}: ActionPlan & { impact: PlanImpact }): PlanInput => input;

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The action plans: each with its segment, owner, due date and progress; and a form to start one. */
export function PlansList({ api, locale, words }: Props) {
  const changes = useMay()('pulso/plans.write');
  const [plans, setPlans] = useState<ActionPlan[] | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const { surveys, surveyId, setSurveyId } = useSurveys(api, setFailure);
  const [draft, setDraft] = useState({
    title: '',
    segment: 'all',
    owner: '',
    dueDate: inDays(30),
  });

  const load = () =>
    api
      .plans()
      .then(({ items }) => setPlans(items))
      .catch((err: Error) => setFailure(err.message));
  useEffect(() => {
    void load();
  }, [api]);

  const field = (name: keyof typeof draft, label: string, type = 'text') => (
    <>
      <label for={`plan-${name}`}>{label}</label>
      <input
        id={`plan-${name}`}
        type={type}
        required
        value={draft[name]}
        onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}
      />
    </>
  );

  return (
    <section aria-labelledby="plans-title">
      <h1 id="plans-title">{words.plans}</h1>
      {failure && <p role="alert">{fill(words.actionFailed, { reason: failure })}</p>}
      {!plans ? (
        <p aria-live="polite">…</p>
      ) : plans.length === 0 ? (
        <p>{words.noPlans}</p>
      ) : (
        <ul class="inbox">
          {plans.map((p) => (
            <li key={p.planId}>
              <a href={`/app/plans/${encodeURIComponent(p.planId)}`}>
                <span class="what">{p.title}</span>
                <span class="meta">
                  {p.segment === 'all' ? words.allAnswers : p.segment} · {p.owner && <>{p.owner} · </>}
                  {fill(words.dueOn, { date: p.dueDate })} ·{' '}
                  {fill(words.tasksDone, {
                    done: number(locale, p.tasks.filter((t) => t.status === 'done').length),
                    tasks: number(locale, p.tasks.length),
                  })}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {changes && (
        <form
          class="action"
          onSubmit={async (e) => {
            e.preventDefault();
            setFailure(undefined);
            try {
              await api.createPlan({ ...draft, surveyId, startDate: today(), tasks: [] } as PlanInput);
              setDraft({ ...draft, title: '' });
              await load();
            } catch (err) {
              setFailure((err as Error).message);
            }
          }}
        >
          <fieldset>
            <legend>{words.newPlan}</legend>
            {field('title', words.planTitle)}
            <label for="plan-surveyId">{words.survey}</label>
            <select id="plan-surveyId" value={surveyId} onChange={(e) => setSurveyId(e.currentTarget.value)}>
              {(surveys ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title[locale] ?? s.title.en ?? s.id}
                </option>
              ))}
            </select>
            {field('segment', words.planSegment)}
            {field('owner', words.planOwner, 'email')}
            {field('dueDate', words.planDue, 'date')}
            <button type="submit">{words.startPlan}</button>
          </fieldset>
        </form>
      )}
    </section>
  );
}

/** A plan: its tasks (status changes saved at once, new tasks added) and its measured impact as a chart. */
export function PlanPage({ api, locale, words, planId }: Props & { planId: string }) {
  const changes = useMay()('pulso/plans.write');
  const [plan, setPlan] = useState<(ActionPlan & { impact: PlanImpact }) | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [task, setTask] = useState('');

  const load = () =>
    api
      .plan(planId)
      .then(setPlan)
      .catch((err: Error) => setFailure(err.message));
  useEffect(() => {
    void load();
  }, [api, planId]);

  const save = async (next: PlanInput) => {
    setFailure(undefined);
    try {
      await api.updatePlan(planId, next);
      await load();
      return true;
    } catch (err) {
      setFailure((err as Error).message);
      return false;
    }
  };

  if (!plan)
    return failure ? (
      <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>
    ) : (
      <p aria-live="polite">…</p>
    );
  const input = inputOf(plan);
  const { impact } = plan;
  const digits = impact.type === 'ces' ? 2 : 1;
  const n = (x: number) => number(locale, x, digits);
  const domain: [number, number] = [impact.range.min, impact.range.max];
  const change = impact.change
    ? fill(impact.significant ? words.changeClear : words.changeUnclear, {
        value: `${impact.change.value > 0 ? '+' : ''}${n(impact.change.value)}`,
        low: n(impact.change.ci95.low),
        high: n(impact.change.ci95.high),
      })
    : words.changeUnknown;
  return (
    <article aria-labelledby="plan-title" class="case">
      <p>
        <a href="/app/plans">{words.backToPlans}</a>
      </p>
      <h1 id="plan-title">{plan.title}</h1>
      <dl class="facts">
        <dt>{words.planFor}</dt>
        <dd>{plan.segment === 'all' ? words.allAnswers : plan.segment}</dd>
        {plan.owner && (
          <>
            <dt>{words.owner}</dt>
            <dd>{plan.owner}</dd>
          </>
        )}
        <dt>{words.planStart}</dt>
        <dd>{plan.startDate}</dd>
        <dt>{words.planDue}</dt>
        <dd>{plan.dueDate}</dd>
      </dl>
      <h2>{words.impact}</h2>
      <p data-field="change">{change}</p>
      <PeriodsChart
        title={fill(words.impactTitle, { question: impact.questionId })}
        description={change}
        periods={[
          { label: words.beforeStart, ...impact.before },
          { label: words.sinceStart, ...impact.after },
        ]}
        domain={domain}
        digits={digits}
        locale={locale}
        words={words}
      />
      {failure && <p role="alert">{fill(words.actionFailed, { reason: failure })}</p>}
      <h2>
        {fill(words.tasksDone, {
          done: number(locale, impact.progress.done),
          tasks: number(locale, impact.progress.tasks),
        })}
      </h2>
      <ul class="tasks">
        {plan.tasks.map((t, i) => (
          <li key={`${i}-${t.title}`}>
            <span class="task-title">{t.title}</span>
            <label class="sr" for={`task-${i}`}>
              {fill(words.taskStatusOf, { task: t.title })}
            </label>
            <select
              id={`task-${i}`}
              value={t.status}
              disabled={!changes}
              onChange={(e) =>
                void save({
                  ...input,
                  tasks: input.tasks.map((x, j) =>
                    j === i ? { ...x, status: e.currentTarget.value as (typeof TASK_STATUSES)[number] } : x,
                  ),
                })
              }
            >
              {TASK_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {words.taskStatus[s]}
                </option>
              ))}
            </select>
          </li>
        ))}
      </ul>
      {changes && (
        <form
          class="action"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await save({ ...input, tasks: [...input.tasks, { title: task.trim(), status: 'todo' }] }))
              setTask('');
          }}
        >
          <label for="task-new">{words.newTask}</label>
          <input
            id="task-new"
            required
            maxLength={300}
            value={task}
            onInput={(e) => setTask(e.currentTarget.value)}
          />
          <button type="submit">{words.addTask}</button>
        </form>
      )}
    </article>
  );
}
