import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSuppressionStore } from '#adapters/dynamodb/campaigns.ts';
import { contactIdOf } from '#invitations/rules/contacts.ts';
import type { Runtime } from '#local/runtime.ts';
import { type client, startTestRuntime } from '../support/http.ts';
import { mailsTo } from '../support/pages.ts';

let rt: Runtime;
let api: ReturnType<typeof client>;
let ddb: DynamoDBClient;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const email = (who: string) => `${who}-${run}@example.com`;
const id = (who: string) => contactIdOf(email(who), undefined);
const consent = (who: string, body: unknown) =>
  api.admin('PUT', `v1/contacts/${encodeURIComponent(id(who))}/consent`, body);

beforeAll(async () => {
  ({ rt, api, ddb, stop: stopRuntime } = await startTestRuntime());
  const rows = ['keen', 'quiet', 'gone'].map((who, i) => ({
    line: i + 2,
    fields: { email: email(who), locale: 'es', list: `consent-${run}` },
  }));
  const imported = await api.admin('POST', 'v1/contacts/import', { rows });
  expect(imported.json.imported, imported.text).toBe(3);
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe('consent', () => {
  it('keeps a contact marked not to be contacted out of campaigns, until the mark is taken back', async () => {
    const marked = await consent('quiet', { contact: false });
    expect(marked.status, marked.text).toBe(200);
    expect(marked.json).toMatchObject({
      contactId: id('quiet'),
      email: email('quiet'),
      suppressed: 'do-not-contact',
    });
    expect((await api.admin('GET', `v1/contacts/${id('keen')}`)).json.suppressed).toBeNull();

    const campaign = await api.admin('POST', 'v1/campaigns', {
      name: `Consent ${run}`,
      surveyId: 'demo',
      channel: 'email',
      audience: { attributes: { list: `consent-${run}` } },
    });
    expect(campaign.status, campaign.text).toBe(201);
    const campaignId = campaign.json.campaignId as string;
    expect((await api.admin('POST', `v1/campaigns/${campaignId}/start`)).status).toBe(202);
    await rt.idle();
    expect(await mailsTo(rt.mailboxUrl, email('keen'))).toHaveLength(1);
    expect(await mailsTo(rt.mailboxUrl, email('quiet'))).toHaveLength(0);
    const reach = await api.admin('GET', `v1/campaigns/${campaignId}/reach`);
    expect(reach.json.total).toMatchObject({ invited: 2, suppressed: 1 });

    const lifted = await consent('quiet', { contact: true });
    expect(lifted.status, lifted.text).toBe(200);
    expect(lifted.json.suppressed).toBeNull();
    expect((await api.admin('GET', `v1/contacts/${id('quiet')}`)).json.suppressed).toBeNull();
  });

  it("never takes back a customer's own unsubscribe", async () => {
    await new DynamoSuppressionStore(ddb, rt.tableName).suppress(id('gone'), 'unsubscribed', new Date());
    const res = await consent('gone', { contact: true });
    expect(res.status, res.text).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.detail).toContain('unsubscribed');
    // Marking them changes nothing either: the first reason is kept.
    expect((await consent('gone', { contact: false })).json.suppressed).toBe('unsubscribed');
    expect((await api.admin('GET', `v1/contacts/${id('gone')}`)).json.suppressed).toBe('unsubscribed');
  });

  it('refuses a body that is not a yes or no, and a contact that does not exist, storing nothing', async () => {
    for (const body of [{ contact: 'no' }, {}, { contact: false, extra: 1 }]) {
      const res = await consent('keen', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api.admin('GET', `v1/contacts/${id('keen')}`)).json.suppressed).toBeNull();
    const unknown = await api.admin('PUT', 'v1/contacts/nobody-here/consent', { contact: false });
    expect(unknown.status).toBe(404);
    expect(await new DynamoSuppressionStore(ddb, rt.tableName).reasonFor('nobody-here')).toBeUndefined();
  });
});
