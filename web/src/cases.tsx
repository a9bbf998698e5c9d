import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Case, CaseEvent, CaseStatus } from '#loop/rules/case.ts';
import type { Api, CaseFilter } from './api.ts';
import { dateText, fill, type Locale, number, type Words } from './i18n.ts';

/** The inbox's views, as the query string names them (`/app/cases?mine=true`). */
const VIEWS = ['mine', 'overdue', 'open', 'acknowledged', 'resolved', 'closed', 'all'] as const;
type View = (typeof VIEWS)[number];

const filterOf = (view: View): CaseFilter =>
  view === 'mine'
    ? { mine: true }
    : view === 'overdue'
      ? { overdue: true }
      : view === 'all'
        ? {}
        : { status: view };

function viewOf(query: Readonly<Record<string, string>>): View {
  if (query.mine === 'true') return 'mine';
  if (query.overdue === 'true') return 'overdue';
  const status = VIEWS.find((v) => v === query.status);
  return status ?? 'open';
}

const hrefOf = (view: View) =>
  view === 'mine'
    ? '/app/cases?mine=true'
    : view === 'overdue'
      ? '/app/cases?overdue=true'
      : `/app/cases?status=${view}`;

const when = (locale: Locale, at: string) => dateText(locale, new Date(at), 'moment');

const isLate = (c: Case) => c.dueAt !== undefined && Date.parse(c.dueAt) < Date.now();

/** What a case is about, in a line: the scores that broke the rules, then the comment. */
function gist(c: Case, locale: Locale): { scores: string; comment?: string } {
  const scores = c.hits
    .filter((h) => typeof h.answer === 'number')
    .map((h) => `${h.questionId.toUpperCase()} ${number(locale, h.answer as number)}`)
    .join(' · ');
  const comment = Object.values(c.answers).find((a): a is string => typeof a === 'string' && a.trim() !== '');
  return comment === undefined ? { scores } : { scores, comment };
}

const segmentText = (c: Case) =>
  Object.entries(c.segment)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');

/** The vendors' names as their users know them. */
const VENDOR_NAMES: Readonly<Record<string, string>> = {
  zendesk: 'Zendesk',
  twilio: 'Twilio',
  connect: 'Amazon Connect',
};

/** The ticket, call or chat a case is about: a link back to it in the vendor's tool when there is one. */
function InteractionLink({
  interaction,
  words,
}: {
  interaction: NonNullable<Case['interaction']>;
  words: Words;
}) {
  const vendor = interaction.vendor ? (VENDOR_NAMES[interaction.vendor] ?? interaction.vendor) : '';
  const text = vendor ? fill(words.openInVendor, { vendor, id: interaction.id }) : interaction.id;
  return interaction.url ? (
    <a href={interaction.url} rel="noopener noreferrer" target="_blank">
      {text}
    </a>
  ) : (
    <span>{vendor ? `${vendor} ${interaction.id}` : interaction.id}</span>
  );
}

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/** The cases inbox: the person's own, the overdue ones, by status; newest first, a page at a time. */
export function CasesInbox({ api, locale, words }: Props) {
  const { query } = useLocation();
  const view = viewOf(query);
  const [items, setItems] = useState<Case[] | undefined>();
  const [cursor, setCursor] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  const load = (after?: string) =>
    api
      .cases({ ...filterOf(view), ...(after ? { cursor: after } : {}) })
      .then((page) => {
        setItems((before) => [...(after ? (before ?? []) : []), ...page.items]);
        setCursor(page.cursor);
      })
      .catch((err: Error) => setFailure(err.message));

  useEffect(() => {
    setItems(undefined);
    setFailure(undefined);
    void load();
  }, [api, view]);

  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">{words.cases}</h1>
      <nav aria-label={words.caseViews} class="views">
        {VIEWS.map((v) => (
          <a key={v} href={hrefOf(v)} aria-current={v === view ? 'page' : undefined}>
            {words.caseView[v]}
          </a>
        ))}
      </nav>
      {failure && <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>}
      {!items ? (
        <p aria-live="polite">…</p>
      ) : items.length === 0 ? (
        <p>{words.noCases}</p>
      ) : (
        <ul class="inbox">
          {items.map((c) => {
            const { scores, comment } = gist(c, locale);
            return (
              <li key={c.caseId} class={`severity-${c.severity}`}>
                <a href={`/app/cases/${encodeURIComponent(c.caseId)}`}>
                  <span class="what">{scores || words.caseWithoutScores}</span>
                  {comment !== undefined && <span class="quote">{comment}</span>}
                  <span class="meta">
                    {words.status[c.status]} · {words.severity[c.severity]} · {when(locale, c.openedAt)}
                    {segmentText(c) && ` · ${segmentText(c)}`}
                    {c.assignee && ` · ${fill(words.assignedTo, { name: c.assignee })}`}
                  </span>
                  {isLate(c) && <span class="late">{words.overdue}</span>}
                </a>
              </li>
            );
          })}
        </ul>
      )}
      {cursor && (
        <button type="button" class="secondary" onClick={() => void load(cursor)}>
          {words.more}
        </button>
      )}
    </section>
  );
}

/** Which actions a case in this status offers (the API refuses the others with 409). */
const ACTIONS: Readonly<
  Record<CaseStatus, readonly ('acknowledge' | 'assign' | 'comment' | 'resolve' | 'close' | 'reopen')[]>
> = {
  open: ['acknowledge', 'assign', 'comment', 'resolve'],
  acknowledged: ['assign', 'comment', 'resolve'],
  resolved: ['close', 'reopen', 'comment'],
  closed: ['reopen'],
};

/** A case: what the customer said, where and when, who has it, its full history, and every action. */
export function CasePage({ api, locale, words, caseId, actor }: Props & { caseId: string; actor: string }) {
  const [item, setItem] = useState<Case | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setItem(undefined);
    api
      .case(caseId)
      .then(setItem)
      .catch((err: Error) => setFailure(err.message));
  }, [api, caseId]);

  /** Runs an action; the page shows the case as the API answers it, or why it refused. */
  const act = async (run: () => Promise<Case>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      setItem(await run());
      return true;
    } catch (err) {
      setFailure((err as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (!item)
    return failure ? (
      <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>
    ) : (
      <p aria-live="polite">…</p>
    );
  const { scores, comment } = gist(item, locale);
  const actions = ACTIONS[item.status];
  return (
    <article aria-labelledby="case-title" class="case">
      <p>
        <a href="/app/cases">{words.backToCases}</a>
      </p>
      <h1 id="case-title">{scores || words.caseWithoutScores}</h1>
      <dl class="facts">
        <dt>{words.statusLabel}</dt>
        <dd data-field="status">{words.status[item.status]}</dd>
        <dt>{words.severityLabel}</dt>
        <dd>{words.severity[item.severity]}</dd>
        <dt>{words.opened}</dt>
        <dd>{when(locale, item.openedAt)}</dd>
        {segmentText(item) && (
          <>
            <dt>{words.segment}</dt>
            <dd>{segmentText(item)}</dd>
          </>
        )}
        {item.interaction && (
          <>
            <dt>{words.interaction}</dt>
            <dd>
              <InteractionLink interaction={item.interaction} words={words} />
            </dd>
          </>
        )}
        {item.owner && (
          <>
            <dt>{words.owner}</dt>
            <dd>{item.owner.email}</dd>
          </>
        )}
        <dt>{words.assignee}</dt>
        <dd data-field="assignee">{item.assignee ?? words.nobody}</dd>
        {item.dueAt && (
          <>
            <dt>{item.due === 'resolve' ? words.resolveBy : words.acknowledgeBy}</dt>
            <dd>
              {when(locale, item.dueAt)} {isLate(item) && <span class="late">{words.overdue}</span>}
            </dd>
          </>
        )}
      </dl>
      {comment !== undefined && (
        <blockquote class="quote" lang={item.locale}>
          {comment}
        </blockquote>
      )}
      <h2>{words.answersTitle}</h2>
      <dl class="facts">
        {Object.entries(item.answers).map(([question, answer]) => (
          <>
            <dt key={`q-${question}`}>{question}</dt>
            <dd key={`a-${question}`}>
              {typeof answer === 'number' ? number(locale, answer) : String(answer)}
            </dd>
          </>
        ))}
      </dl>
      {failure && <p role="alert">{fill(words.actionFailed, { reason: failure })}</p>}
      <h2>{words.actions}</h2>
      <div class="actions">
        {actions.includes('acknowledge') && (
          <button type="button" disabled={busy} onClick={() => void act(() => api.acknowledge(caseId))}>
            {words.acknowledge}
          </button>
        )}
        {actions.includes('close') && (
          <button type="button" disabled={busy} onClick={() => void act(() => api.close(caseId))}>
            {words.close}
          </button>
        )}
        {actions.includes('assign') && (
          <TextAction
            id="assign"
            label={words.assignTo}
            button={words.assign}
            initial={item.assignee ?? actor}
            busy={busy}
            run={(text) => act(() => api.assign(caseId, text))}
          />
        )}
        {actions.includes('comment') && (
          <TextAction
            id="comment"
            label={words.commentLabel}
            button={words.addComment}
            long
            busy={busy}
            run={(text) => act(() => api.comment(caseId, text))}
          />
        )}
        {actions.includes('resolve') && (
          <ResolveForm words={words} busy={busy} run={(r) => act(() => api.resolve(caseId, r))} />
        )}
        {actions.includes('reopen') && (
          <TextAction
            id="reopen"
            label={words.reopenReason}
            button={words.reopen}
            long
            busy={busy}
            run={(text) => act(() => api.reopen(caseId, text))}
          />
        )}
      </div>
      <h2>{words.history}</h2>
      <ol class="history">
        {item.history.map((e, i) => (
          <li key={`${e.at}-${i}`} data-action={e.action}>
            <HistoryLine event={e} locale={locale} words={words} />
          </li>
        ))}
      </ol>
    </article>
  );
}

function HistoryLine({ event, locale, words }: { event: CaseEvent; locale: Locale; words: Words }) {
  return (
    <>
      <span class="meta">{when(locale, event.at)}</span> <strong>{words.event[event.action]}</strong>{' '}
      <span>{fill(words.by, { name: event.by })}</span>
      {event.tier !== undefined && <span> · {fill(words.tier, { n: number(locale, event.tier + 1) })}</span>}
      {event.note && <p class="note">{event.note}</p>}
    </>
  );
}

/** One text field and its button: assign, comment, reopen. Cleared when the action went through. */
function TextAction(props: {
  id: string;
  label: string;
  button: string;
  initial?: string;
  long?: boolean;
  busy: boolean;
  run: (text: string) => Promise<boolean>;
}) {
  const [text, setText] = useState(props.initial ?? '');
  const field = `${props.id}-text`;
  return (
    <form
      class="action"
      onSubmit={async (e) => {
        e.preventDefault();
        if ((await props.run(text.trim())) && !props.initial) setText('');
      }}
    >
      <label for={field}>{props.label}</label>
      {props.long ? (
        <textarea
          id={field}
          required
          maxLength={2000}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      ) : (
        <input
          id={field}
          required
          maxLength={254}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      )}
      <button type="submit" disabled={props.busy}>
        {props.button}
      </button>
    </form>
  );
}

/** Resolving asks what was done, why it happened (a short category) and whether the customer was spoken to. */
function ResolveForm({
  words,
  busy,
  run,
}: {
  words: Words;
  busy: boolean;
  run: (r: { note: string; rootCause: string; customerContacted: boolean }) => Promise<boolean>;
}) {
  const [note, setNote] = useState('');
  const [rootCause, setRootCause] = useState('');
  const [contacted, setContacted] = useState(false);
  return (
    <form
      class="action resolve"
      onSubmit={(e) => {
        e.preventDefault();
        // The customer's follow-up is as the survey's recovery settings say (the API's default).
        void run({ note: note.trim(), rootCause: rootCause.trim(), customerContacted: contacted });
      }}
    >
      <fieldset>
        <legend>{words.resolve}</legend>
        <label for="resolve-note">{words.resolutionNote}</label>
        <textarea
          id="resolve-note"
          required
          maxLength={5000}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
        <label for="resolve-cause">{words.rootCause}</label>
        <input
          id="resolve-cause"
          required
          maxLength={64}
          pattern="[a-z0-9][a-z0-9\-]*"
          aria-describedby="resolve-cause-hint"
          value={rootCause}
          onInput={(e) => setRootCause(e.currentTarget.value)}
        />
        <small id="resolve-cause-hint">{words.rootCauseHint}</small>
        <label class="check">
          <input
            type="checkbox"
            checked={contacted}
            onChange={(e) => setContacted(e.currentTarget.checked)}
          />
          {words.customerContacted}
        </label>
        <button type="submit" disabled={busy}>
          {words.resolve}
        </button>
      </fieldset>
    </form>
  );
}
