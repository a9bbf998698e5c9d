import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
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
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const list = `rights-${run}`;
const lucia = `Lucia.${run}@example.com`;
const phone = '+5511987650001';
const contactId = contactIdOf(lucia, phone);

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
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

  it('erases the person so that a scan of every item finds nothing of them, while the figures keep their counts', async () => {
    const figures = async () => (await api.admin('GET', 'v1/surveys/demo/metrics?window=7d')).json.nps.n;
    const before = await figures();
    const held = (await api.admin('GET', `v1/personal-data?contactId=${contactId}`)).json.people[0];
    const submissionId = held.responses[0].submissionId as string;
    const caseId = held.cases[0].caseId as string;
    const traces = [lucia.toLowerCase(), phone, `Me cobraron dos veces ${run}`, submissionId, caseId];
    // Before: the contact, the answer and its case hold them, the invitation their contact id (the checks below
    // can fail).
    const first = await everyItem();
    expect(tracesIn(first, traces).map((i) => i.type)).toEqual(
      expect.arrayContaining(['case', 'contact', 'response']),
    );
    expect(tracesIn(first, [contactId]).map((i) => i.type)).toEqual(expect.arrayContaining(['invitation']));

    // A file of the week's responses holds their answer; one of the figures does not name them.
    const exported = async (kind: string) => {
      const asked = await api.admin('POST', 'v1/surveys/demo/exports', { kind, window: '7d' });
      await rt.idle();
      return (await api.admin('GET', `v1/exports/${asked.json.exportId}`)).json;
    };
    const file = await exported('responses');
    const figuresFile = await exported('aggregates');
    const download = file.download.url as string;
    expect(await (await fetch(download)).text()).toContain(`Me cobraron dos veces ${run}`);

    const erased = await api.admin('DELETE', `v1/personal-data?email=${encodeURIComponent(lucia)}`);
    expect(erased.status, erased.text).toBe(200);
    expect(erased.json).toEqual({ people: 1, responses: 1, cases: 1, invitations: 1, exports: 1 });
    await rt.idle();
    expect((await api.admin('GET', `v1/exports/${file.exportId}`)).status).toBe(404);
    expect((await fetch(download)).status).toBe(404);
    expect((await api.admin('GET', `v1/exports/${figuresFile.exportId}`)).json.status).toBe('ready');

    // Every item of every type, read whole: none holds their address, phone, words, answer or case; their contact
    // id (a hash of their address) stays on the suppression and the quiet period only, which hold nothing else.
    const items = await everyItem();
    expect(new Set(items.map((i) => i.type)).size).toBeGreaterThan(8);
    expect(tracesIn(items, traces).map((i) => `${i.pk} ${i.sk}`)).toEqual([]);
    const withId = items.filter((i) => JSON.stringify(i).includes(contactId));
    expect(withId.map((i) => i.type).sort()).toEqual(['fatigue', 'suppression']);
    expect(withId.find((i) => i.type === 'suppression')).toMatchObject({ reason: 'erased' });

    expect(await figures()).toBe(before);
    expect((await api.admin('GET', `v1/personal-data?contactId=${contactId}`)).json.people).toEqual([]);
    // Imported again, they stay suppressed: no campaign reaches them.
    const again = await api.call('POST', 'v1/contacts/import', {
      raw: ['email,list', `${lucia},${list}`].join('\n'),
      headers: { 'content-type': 'text/csv' },
      admin: true,
    });
    expect(again.json).toMatchObject({ imported: 1 });
    expect((await api.admin('GET', `v1/contacts/${contactId}`)).json.suppressed).toBe('erased');
  });

  it('leaves its read and its erasure in the audit trail', async () => {
    const audit = await api.admin('GET', 'v1/audit');
    const routes = audit.json.items.map((e: { route: string }) => e.route);
    expect(routes).toContain('GET /v1/personal-data');
    expect(routes).toContain('DELETE /v1/personal-data');
  });
});

/** Every item of the table, read whole by a Scan. */
async function everyItem(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: rt.tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The items that hold any of the traces, compared without case. */
const tracesIn = (items: Record<string, unknown>[], traces: readonly string[]) =>
  items.filter((i) => {
    const text = JSON.stringify(i).toLowerCase();
    return traces.some((t) => text.includes(t.toLowerCase()));
  });
