import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactIdOf } from '#invitations/rules/contacts.ts';
import type { Runtime } from '#local/runtime.ts';
import { type client, startTestRuntime } from '../support/http.ts';
import { hiddenFields, mailsTo as mailsToOf, postForm as postFormOf } from '../support/pages.ts';

/**
 * A customer's right to know what Pulso holds about them: found by contact id, email or phone, everything comes
 * back as JSON (the contact, their suppression, invitations, the answers they gave and the case those opened).
 */
let rt: Runtime;
let api: ReturnType<typeof client>;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const list = `rights-${run}`;
const lucia = `Lucia.${run}@example.com`;
const phone = '+5511987650001';
const contactId = contactIdOf(lucia, phone);

beforeAll(async () => {
  ({ rt, api, stop: stopRuntime } = await startTestRuntime());
  const csv = ['email,phone,locale,list,store', `${lucia},${phone},es,${list},s-001`].join('\n');
  const imported = await api.call('POST', 'v1/contacts/import', {
    raw: csv,
    headers: { 'content-type': 'text/csv' },
    admin: true,
  });
  expect(imported.json, imported.text).toMatchObject({ imported: 1, errors: [] });
  const created = await api.admin('POST', 'v1/campaigns', {
    name: 'Rights',
    surveyId: 'demo',
    channel: 'email',
    audience: { attributes: { list } },
    senderName: 'Acme',
  });
  expect(created.status, created.text).toBe(201);
  expect((await api.admin('POST', `v1/campaigns/${created.json.campaignId}/start`)).status).toBe(202);
  await rt.idle();
  const [invitation] = await mailsToOf(rt.mailboxUrl, lucia.toLowerCase());
  const url = /https?:\/\/\S+\/s\/demo\?t=[A-Za-z0-9_.-]+(?:&lang=[a-z]{2})?/.exec(
    invitation?.body.text ?? '',
  )?.[0];
  const link = new URL(url ?? '');
  const page = await api.call('GET', `${link.pathname}${link.search}`);
  const answered = await postFormOf(api, link.pathname, {
    ...hiddenFields(page.text),
    nps: '1',
    csat: '1',
    ces: '2',
    comment: `Me cobraron dos veces ${run}`,
  });
  expect(answered.status).toBe(200);
  await rt.idle();
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe("a person's data", () => {
  it('finds the same person by contact id, email (any case) or phone, with everything held about them', async () => {
    const byId = await api.admin('GET', `v1/personal-data?contactId=${contactId}`);
    expect(byId.status, byId.text).toBe(200);
    const [person] = byId.json.people;
    expect(person.contact).toMatchObject({ contactId: `${contactId}`, phone });
    expect(person.suppressed).toBeNull();
    expect(person.invitations).toHaveLength(1);
    expect(person.responses.map((r: { answers: { comment: string } }) => r.answers.comment)).toEqual([
      `Me cobraron dos veces ${run}`,
    ]);
    expect(person.cases).toHaveLength(1);
    expect(person.cases[0].submissionId).toBe(person.responses[0].submissionId);
    for (const query of [
      `email=${encodeURIComponent(lucia.toUpperCase())}`,
      `phone=${encodeURIComponent(phone)}`,
    ]) {
      const other = await api.admin('GET', `v1/personal-data?${query}`);
      expect(other.json.people, query).toEqual(byId.json.people);
    }
  });

  it('finds nobody for an address no contact has, and refuses a query that is not one of the three', async () => {
    expect((await api.admin('GET', 'v1/personal-data?email=nobody@example.com')).json.people).toEqual([]);
    for (const query of [
      '',
      `contactId=${contactId}&email=${encodeURIComponent(lucia)}`,
      'phone=12345',
      'email=x',
    ])
      expect((await api.admin('GET', `v1/personal-data?${query}`)).status, query).toBe(400);
  });

  it('leaves its read in the audit trail', async () => {
    const audit = await api.admin('GET', 'v1/audit?action=read');
    expect(audit.json.items.map((e: { route: string }) => e.route)).toContain('GET /v1/personal-data');
  });
});
