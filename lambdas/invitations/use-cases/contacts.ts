import { ConflictError, NotFoundError } from '#kernel/errors.ts';
import type { Clock } from '#kernel/ports.ts';
import type { ContactStore, SuppressionStore } from '../ports.ts';
import { LIFTABLE_REASON } from '../rules/campaigns.ts';
import type { ContactImport } from '../rules/contacts.ts';

export async function importContacts(store: ContactStore, parsed: ContactImport, keepDays?: number) {
  await store.putMany(parsed.contacts, keepDays);
  return { rows: parsed.rows, imported: parsed.contacts.length, errors: parsed.errors };
}

export async function getContact(store: ContactStore, contactId: string) {
  const contact = await store.get(contactId);
  if (!contact) throw new NotFoundError(`There is no contact "${contactId}".`);
  return contact;
}

export interface ConsentDeps {
  readonly contacts: ContactStore;
  readonly suppressions: SuppressionStore;
  readonly clock: Clock;
}

/** A contact and whether anyone may invite them, and if not why. */
export async function contactWithConsent(deps: Omit<ConsentDeps, 'clock'>, contactId: string) {
  const contact = await getContact(deps.contacts, contactId);
  return { ...contact, suppressed: (await deps.suppressions.reasonFor(contactId)) ?? null };
}

/**
 * Marks a contact not to be contacted, or takes the team's mark back. The customer's own unsubscribe (or a bounce,
 * or a complaint) is never taken back here: that is a conflict.
 */
export async function setConsent(deps: ConsentDeps, contactId: string, contact: boolean) {
  await getContact(deps.contacts, contactId);
  if (!contact) await deps.suppressions.suppress(contactId, LIFTABLE_REASON, deps.clock.now());
  else {
    const reason = await deps.suppressions.reasonFor(contactId);
    if (reason && !(await deps.suppressions.lift(contactId, LIFTABLE_REASON)))
      throw new ConflictError(
        `The contact is suppressed because ${reason === 'unsubscribed' ? 'they unsubscribed' : `their address ${reason}`}: only they can change that.`,
      );
  }
  return contactWithConsent(deps, contactId);
}
