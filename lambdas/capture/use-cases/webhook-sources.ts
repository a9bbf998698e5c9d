import { ConflictError, NotFoundError, ValidationError } from '#kernel/errors.ts';
import type { Clock } from '#kernel/ports.ts';
import type { WebhookSourceStore } from '../ports.ts';
import {
  liveSecrets,
  rotated,
  secretProblem,
  sourceView,
  WEBHOOK_SOURCE_PATTERN,
  type WebhookKind,
  type WebhookSource,
  type WebhookSourceInput,
} from '../rules/webhook.ts';

export interface WebhookSourceDeps {
  readonly sources: WebhookSourceStore;
  readonly clock: Clock;
  /** A new Standard Webhooks secret (`whsec_` + base64 of random bytes). */
  readonly newSecret: () => string;
}

function checkName(name: string): void {
  if (!WEBHOOK_SOURCE_PATTERN.test(name)) throw new NotFoundError(`No webhook source "${name}".`);
}

async function existing(sources: WebhookSourceStore, name: string): Promise<WebhookSource> {
  checkName(name);
  const source = await sources.get(name);
  if (!source) throw new NotFoundError(`No webhook source "${name}" is configured.`);
  return source;
}

/** The secret a new one gets: the vendor's, which must be given; for standard, one Pulso makes unless given. */
function secretFor(deps: WebhookSourceDeps, kind: WebhookKind, given: string | undefined) {
  if (kind === 'sms')
    throw new ConflictError('An sms source has no secret: its messages come through the inbound SMS topic.');
  if (given !== undefined) {
    const problem = secretProblem(kind, given);
    if (problem)
      throw new ValidationError('The secret does not fit.', [
        { field: 'secret', code: 'invalid', message: problem },
      ]);
    return { value: given, made: false };
  }
  if (kind !== 'standard') {
    throw new ValidationError(`A ${kind} source signs with the secret its vendor shows you.`, [
      { field: 'secret', code: 'required', message: `the ${kind} secret is required` },
    ]);
  }
  return { value: deps.newSecret(), made: true };
}

/**
 * Makes a source (`created`, with the secret Pulso made answered this once) or changes its settings (`updated`:
 * URL, survey, questions; its kind and its secrets stay, a secret is changed by rotating).
 */
export async function putWebhookSource(deps: WebhookSourceDeps, name: string, input: WebhookSourceInput) {
  checkName(name);
  const { secret, ...settings } = input;
  const now = deps.clock.now().toISOString();
  const current = await deps.sources.get(name);
  if (current) {
    if (current.kind !== input.kind)
      throw new ConflictError(
        `"${name}" is a ${current.kind} source; delete it to make a ${input.kind} one.`,
      );
    if (secret !== undefined)
      throw new ConflictError(`"${name}" has its secret; rotate it (POST /v1/webhooks/${name}/secrets).`);
    const { url: _u, surveyId: _s, ratingQuestion: _r, commentQuestion: _c, ...kept } = current;
    const source: WebhookSource = { ...kept, ...settings, updatedAt: now };
    await deps.sources.put(source);
    return { status: 'updated' as const, source: sourceView(source) };
  }
  // An sms source's messages come through the inbound SMS topic: nothing signs them, so it has no secret.
  const first = input.kind === 'sms' ? undefined : secretFor(deps, input.kind, secret);
  const source: WebhookSource = {
    name,
    ...settings,
    secrets: first ? [{ value: first.value, addedAt: now }] : [],
    createdAt: now,
    updatedAt: now,
  };
  if (!(await deps.sources.create(source))) throw new ConflictError(`"${name}" was made meanwhile.`);
  return {
    status: 'created' as const,
    source: sourceView(source),
    ...(first?.made ? { secret: first.value } : {}),
  };
}

/** A new secret signs from now on; the one it replaces keeps working `previousValidForHours`. */
export async function rotateWebhookSecret(
  deps: WebhookSourceDeps,
  name: string,
  input: { readonly secret?: string | undefined; readonly previousValidForHours: number },
) {
  const source = await existing(deps.sources, name);
  const next = secretFor(deps, source.kind, input.secret);
  const changed = rotated(source, next.value, deps.clock.now(), input.previousValidForHours);
  await deps.sources.put(changed);
  return { source: sourceView(changed), ...(next.made ? { secret: next.value } : {}) };
}

/** The older form: sets a standard source's secrets (one, or two while rotating), making it if need be. */
export async function setWebhookSecrets(deps: WebhookSourceDeps, name: string, secrets: readonly string[]) {
  checkName(name);
  const current = await deps.sources.get(name);
  if (current && current.kind !== 'standard')
    throw new ConflictError(`"${name}" is a ${current.kind} source; rotate its secret instead.`);
  const now = deps.clock.now().toISOString();
  await deps.sources.put({
    ...(current ?? { name, kind: 'standard', createdAt: now }),
    secrets: secrets.map((value) => ({ value, addedAt: now })),
    updatedAt: now,
  });
  return { source: name, secrets: secrets.length };
}

export async function listWebhookSources(sources: WebhookSourceStore) {
  return { sources: (await sources.list()).map(sourceView) };
}

export async function deleteWebhookSource(sources: WebhookSourceStore, name: string): Promise<void> {
  checkName(name);
  if (!(await sources.delete(name))) throw new NotFoundError(`No webhook source "${name}" is configured.`);
}

/** A configured source and the secrets that sign now, before anything of its request is read. */
export async function sourceToVerify(
  sources: WebhookSourceStore,
  name: string,
  now: Date,
): Promise<{ source: WebhookSource; secrets: string[] }> {
  const source = await existing(sources, name);
  return { source, secrets: liveSecrets(source, now) };
}
