import { NotFoundError } from '#kernel/errors.ts';
import type { ContactStore } from '../ports.ts';
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
