import { personalDataQuery } from '#access/rules/personal-data.ts';
import {
  consentSchema,
  contactImportQuery,
  contactRowsSchema,
  MAX_IMPORT_BYTES,
} from '#invitations/rules/contacts.ts';
import { defineRoutes } from './route.ts';

/** Contacts: import, read, erase (the contacts function). */
export const contactsRoutes = defineRoutes({
  'POST /v1/contacts/import': {
    summary: 'Import contacts: a chunk of a CSV file (text/csv), or its rows as JSON with their line numbers',
    auth: { jwt: 'pulso/contacts.write' },
    query: contactImportQuery,
    body: { csv: true, json: contactRowsSchema, maxBytes: MAX_IMPORT_BYTES },
    responses: { 200: 'What was imported, and the errors of the rows that were not' },
    problems: [400, 401, 413, 415],
  },
  'GET /v1/personal-data': {
    summary:
      'What Pulso holds about a person, by one of contactId, email or phone, as JSON to hand them: each matching contact, why they are not invited, their invitations, the answers they gave through them (comments included) and the cases those opened, with their notes and follow-ups',
    auth: { jwt: 'pulso/contacts.read' },
    query: personalDataQuery,
    responses: { 200: '{ finder, people: [{ contact, suppressed, invitations, responses, cases }] }' },
    problems: [400, 401, 403],
  },
  'DELETE /v1/personal-data': {
    summary:
      'Erase a person at their request, by one of contactId, email or phone: their answers and comments, the cases those opened, their invitations and the contact; the figures keep their counts, and a suppression kept under their contact id (a hash) stops any new invitation',
    auth: { jwt: 'pulso/contacts.write' },
    query: personalDataQuery,
    responses: { 200: '{ people, responses, cases, invitations }: how many of each were erased' },
    problems: [400, 401, 403],
  },
  'GET /v1/contacts/{contactId}': {
    summary:
      'A contact, and why nobody may invite them (`suppressed`: unsubscribed, bounced, complained, do-not-contact) or null',
    auth: { jwt: 'pulso/contacts.read' },
    responses: { 200: 'The contact' },
    problems: [401, 404],
  },
  'PUT /v1/contacts/{contactId}/consent': {
    summary:
      "Mark a contact not to be contacted ({ contact: false }: no campaign, reminder or follow-up reaches them), or take that mark back ({ contact: true }); a customer's own unsubscribe, a bounce or a complaint is never taken back (409)",
    auth: { jwt: 'pulso/contacts.write' },
    body: { json: consentSchema },
    responses: { 200: 'The contact, with `suppressed`' },
    problems: [400, 401, 404, 409, 415],
  },
  'DELETE /v1/contacts/{contactId}': {
    summary: 'Erase the personal data of a contact (its suppression is kept)',
    auth: { jwt: 'pulso/contacts.write' },
    responses: { 204: 'Erased' },
    problems: [401],
  },
});
