import { useEffect, useState } from 'preact/hooks';
import type { AuditAction, AuditEntry } from '#access/rules/audit.ts';
import type { Api } from './api.ts';
import { dateText, fill, type Locale, type Words } from './i18n.ts';

interface Props {
  readonly api: Api;
  readonly locale: Locale;
  readonly words: Words;
}

/** The audit trail (admins): who read personal data or changed what, newest first, by person and kind. */
export function Audit({ api, locale, words }: Props) {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState<AuditAction | ''>('');
  const [items, setItems] = useState<readonly AuditEntry[] | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  useEffect(() => {
    let current = true;
    setItems(undefined);
    api
      .audit({ actor: actor.trim() || undefined, action: action || undefined })
      .then(({ items }) => current && setItems(items))
      .catch((err: Error) => current && setFailure(err.message));
    return () => {
      current = false;
    };
  }, [api, actor, action]);

  if (failure) return <p role="alert">{fill(words.loadFailed, { reason: failure })}</p>;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{words.audit}</h1>
      <p>{words.auditIntro}</p>
      <div class="controls">
        <label>
          {words.auditWho}
          <input value={actor} maxLength={254} onChange={(e) => setActor(e.currentTarget.value)} />
        </label>
        <label>
          {words.auditWhat}
          <select value={action} onChange={(e) => setAction(e.currentTarget.value as AuditAction | '')}>
            <option value="">{words.auditEverything}</option>
            <option value="read">{words.auditReads}</option>
            <option value="change">{words.auditChanges}</option>
          </select>
        </label>
      </div>
      {!items ? (
        <p aria-live="polite">…</p>
      ) : items.length === 0 ? (
        <p>{words.auditNone}</p>
      ) : (
        <table class="audit">
          <caption class="sr">{words.audit}</caption>
          <thead>
            <tr>
              <th scope="col">{words.auditWhen}</th>
              <th scope="col">{words.auditWho}</th>
              <th scope="col">{words.auditWhat}</th>
              <th scope="col">{words.auditTarget}</th>
              <th scope="col">{words.auditFrom}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={`${e.at}-${e.requestId}`} data-action={e.action}>
                <td>{dateText(locale, new Date(e.at), 'moment')}</td>
                <td>
                  {e.actor}
                  {e.role ? ` (${words.roleNames[e.role as keyof Words['roleNames']] ?? e.role})` : ''}
                </td>
                <td>
                  <code>{e.route}</code>
                </td>
                <td>{[...Object.values(e.target), e.segment].filter(Boolean).join(' · ')}</td>
                <td>{e.sourceIp}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
