import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import { caseIdOf } from '#loop/rules/cases.ts';
import { type client, startTestRuntime } from '../support/http.ts';
import { hiddenFields, mailsTo as mailsToOf, postForm as postFormOf } from '../support/pages.ts';

/**
 * Recovery on the local runtime with the real handlers: an invited customer's bad answer becomes a case; the case
 * is resolved with a follow-up; the escalation schedule, run as of a day later (never by sleeping), queues it; the
 * campaign sender sends it through the local SES; the customer answers its one question on the page its link
 * opens; the loop metrics report the recovered share.
 */
let rt: Runtime;
let api: ReturnType<typeof client>;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const list = `recovery-${run}`;
const lucia = `lucia.${run}@example.com`;
const store = `s-rec-${run}`;
const pedro = `pedro.${run}@example.com`;

const mailsTo = (address: string) => mailsToOf(rt.mailboxUrl, address);
const linkIn = (text: string | undefined, path: RegExp) => {
  const url = new RegExp(`https?://\\S+${path.source}\\?t=[A-Za-z0-9_.-]+(?:&lang=[a-z]{2})?`).exec(
    text ?? '',
  )?.[0];
  if (!url) throw new Error(`no ${path} link in ${text}`);
  return new URL(url);
};
const postForm = (path: string, fields: Record<string, string>) => postFormOf(api, path, fields);
const sweepAt = async (at: Date) => {
  await rt.runSchedule('EscalationSchedule', { time: at });
  await rt.idle();
};
const resolution = { note: 'Llamamos y reembolsamos', rootCause: 'billing', customerContacted: true };

beforeAll(async () => {
  ({ rt, api, stop: stopRuntime } = await startTestRuntime());
  const csv = [
    'email,locale,list,store',
    `${lucia},es,${list},${store}`,
    `${pedro},pt,${list}-b,${store}`,
  ].join('\n');
  const imported = await api.call('POST', 'v1/contacts/import', {
    raw: csv,
    headers: { 'content-type': 'text/csv' },
    admin: true,
  });
  expect(imported.json).toMatchObject({ imported: 2, errors: [] });
}, 120_000);
afterAll(async () => {
  await stopRuntime?.();
});

describe('recovery after a resolved case', () => {
  let caseId: string;
  let followUp: URL;

  it('turns an invited detractor into a case, resolved with a follow-up one day later', async () => {
    const created = await api.admin('POST', 'v1/campaigns', {
      name: 'Recovery',
      surveyId: 'demo',
      channel: 'email',
      audience: { attributes: { list } },
      senderName: 'Acme',
    });
    expect(created.status, created.text).toBe(201);
    const campaignId = created.json.campaignId as string;
    expect((await api.admin('POST', `v1/campaigns/${campaignId}/start`)).status).toBe(202);
    await rt.idle();
    const [invitation] = await mailsTo(lucia);
    const link = linkIn(invitation?.body.text, /\/s\/demo/);
    const page = await api.call('GET', `${link.pathname}${link.search}`);
    const answered = await postForm(link.pathname, {
      ...hiddenFields(page.text),
      nps: '1',
      csat: '1',
      ces: '2',
      comment: 'Me cobraron dos veces',
    });
    expect(answered.status).toBe(200);
    await rt.idle();
    const cases = await api.admin('GET', 'v1/cases?surveyId=demo&status=open&limit=100');
    const opened = cases.json.items.find(
      (c: { answers: { comment?: string } }) => c.answers.comment === 'Me cobraron dos veces',
    );
    expect(opened?.submissionId).toMatch(new RegExp(`^inv\\.${campaignId}\\.`));
    caseId = opened.caseId;

    const resolved = await api.admin('POST', `v1/cases/${caseId}/resolve`, { ...resolution, followUp: true });
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.json.recovery).toMatchObject({ status: 'scheduled', requestedBy: expect.any(String) });
    const dueAt = Date.parse(resolved.json.recovery.dueAt);
    expect(dueAt - Date.now()).toBeGreaterThan(23.9 * 3_600_000);

    // Before the delay, nothing goes out.
    await sweepAt(new Date(dueAt - 60_000));
    expect(await mailsTo(lucia)).toHaveLength(1);
    expect((await api.admin('GET', `v1/cases/${caseId}`)).json.recovery.status).toBe('scheduled');
  }, 90_000); // the whole campaign-to-follow-up flow: about 10 s alone, three times that on a loaded machine

  it('sends the follow-up through SES in the language of the answer, with one-click unsubscribe', async () => {
    const c = (await api.admin('GET', `v1/cases/${caseId}`)).json;
    await sweepAt(new Date(Date.parse(c.recovery.dueAt) + 60_000));
    const mails = await mailsTo(lucia);
    expect(mails).toHaveLength(2);
    const mail = mails.find((m) => m.subject === '¿Lo solucionamos?');
    expect(mail?.body.html).toContain('<html lang="es"');
    expect(mail?.body.text).toContain('Acme');
    followUp = linkIn(mail?.body.text, /\/c\/[A-Za-z0-9_-]+\/follow-up/);
    expect(followUp.pathname).toBe(`/c/${caseId}/follow-up`);
    const sent = rt.sesMessages().find((m) => m.tags?.followUp === caseId);
    expect(sent?.tags).toMatchObject({ followUp: caseId });
    expect(sent?.tags).not.toHaveProperty('campaign');
    const header = (name: string) => sent?.headers.find((h) => h.name.toLowerCase() === name)?.value;
    expect(header('list-unsubscribe')).toMatch(/^<https?:\/\/.+\/s\/demo\/unsubscribe\?t=.+>$/);
    const stored = (await api.admin('GET', `v1/cases/${caseId}`)).json;
    // The local SES publishes the delivery event, recorded on the case (not on the campaign's reach).
    expect(stored.recovery).toMatchObject({
      status: 'sent',
      channel: 'email',
      sentAt: expect.any(String),
      deliveredAt: expect.any(String),
    });

    // The schedule running again sends nothing more.
    await sweepAt(new Date(Date.parse(c.recovery.dueAt) + 10 * 60_000));
    expect(await mailsTo(lucia)).toHaveLength(2);
  });

  it('asks its one question on a page that keeps to the survey page rules, and records the answer once', async () => {
    const page = await api.call('GET', `${followUp.pathname}${followUp.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="es"');
    expect(page.text).toContain('¿Qué tan satisfecho está con cómo atendimos su comentario?');
    expect(page.text.match(/name="recovery"/g)).toHaveLength(5);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");

    const action = `${followUp.pathname}${followUp.search}`;
    const empty = await postForm(action, hiddenFields(page.text));
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Elija una respuesta.');
    const outOfRange = await postForm(action, { ...hiddenFields(page.text), recovery: '9' });
    expect(outOfRange.status).toBe(400);

    const done = await postForm(action, { ...hiddenFields(page.text), recovery: '5' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Nos alegra haberlo solucionado');
    const again = await postForm(action, { ...hiddenFields(page.text), recovery: '1' });
    expect(again.status).toBe(409);
    expect((await api.call('GET', action)).text).not.toContain('<form');

    const stored = (await api.admin('GET', `v1/cases/${caseId}`)).json;
    expect(stored.recovery).toMatchObject({ status: 'answered', score: 5, recovered: true });
    expect(stored.history.at(-1)).toMatchObject({ action: 'follow-up', by: 'customer' });
  });

  it('refuses a tampered or another case’s link, and the acknowledge link’s key does not open it', async () => {
    const token = followUp.searchParams.get('t') ?? '';
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const forged = await api.call('GET', `${followUp.pathname}?t=${tampered}&lang=es`);
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('<html lang="es"');
    const other = await api.call('GET', `/c/${caseIdOf('demo', 'other')}/follow-up?t=${token}`);
    expect(other.status).toBe(403);
    const asAck = await api.call('POST', `/c/${caseId}/acknowledge?t=${token}`);
    expect(asAck.status).toBe(403);
  });

  it('answers every bad request to the follow-up page with a 4xx page and changes nothing', async () => {
    const before = JSON.stringify((await api.admin('GET', `v1/cases/${caseId}`)).json);
    const path = followUp.pathname;
    const token = followUp.searchParams.get('t') ?? '';
    const form = 'application/x-www-form-urlencoded';
    const bad: Array<{ method: string; url: string; raw?: string; type?: string; status: number }> = [
      { method: 'GET', url: path, status: 403 },
      { method: 'GET', url: `${path}?t=${'A'.repeat(5000)}`, status: 403 },
      { method: 'GET', url: `${path}?t=${token}.extra`, status: 403 },
      { method: 'GET', url: `/c/%00/follow-up?t=${token}`, status: 403 },
      {
        method: 'POST',
        url: `${path}?t=${token}`,
        raw: '{"recovery":5}',
        type: 'application/json',
        status: 415,
      },
      {
        method: 'POST',
        url: `${path}?t=${token}`,
        raw: `recovery=${'9'.repeat(200_000)}`,
        type: form,
        status: 413,
      },
      { method: 'POST', url: `${path}?t=${token}`, raw: 'recovery=abc', type: form, status: 400 },
      { method: 'POST', url: `${path}?t=${token}`, raw: 'recovery=0', type: form, status: 400 },
      { method: 'POST', url: `${path}?t=${token}`, raw: 'recovery=%FF%FE', type: form, status: 400 },
      { method: 'POST', url: path, raw: 'recovery=5&t=forged', type: form, status: 403 },
    ];
    for (const b of bad) {
      const res = await api.call(b.method, b.url, {
        ...(b.raw !== undefined ? { raw: b.raw } : {}),
        ...(b.type ? { headers: { 'content-type': b.type } } : {}),
      });
      expect(res.status, `${b.method} ${b.url.slice(0, 80)} ${b.raw?.slice(0, 40) ?? ''}`).toBe(b.status);
      expect(res.headers.get('content-type')).toContain('text/html');
    }
    expect(JSON.stringify((await api.admin('GET', `v1/cases/${caseId}`)).json)).toBe(before);
  });

  it('reports the recovered share in the loop metrics', async () => {
    const metrics = await api.admin('GET', 'v1/loop/metrics?window=7d&by=store');
    expect(metrics.status).toBe(200);
    const group = metrics.json.groups.find((g: { value: string }) => g.value === store);
    expect(group.figures.recovery).toMatchObject({
      followUpsSent: 1,
      answered: 1,
      recovered: { n: 1, pct: 100 },
    });
  });

  it('skips, with the reason, a customer who answered without an invitation', async () => {
    const submissionId = `rec-qr-${run}`;
    const res = await api.respond({
      surveyId: 'demo',
      submissionId,
      answers: { nps: 0, csat: 1, ces: 1, comment: 'Sin contacto' },
      attributes: { store },
    });
    expect(res.status).toBe(201);
    await rt.idle();
    const resolved = await api.admin('POST', `v1/cases/${caseIdOf('demo', submissionId)}/resolve`, {
      ...resolution,
      followUp: true,
    });
    expect(resolved.json.recovery).toMatchObject({ status: 'skipped', reason: 'no-contact' });
    const bad = await api.admin('POST', `v1/cases/${caseIdOf('demo', submissionId)}/resolve`, {
      ...resolution,
      followUp: 'yes',
    });
    expect(bad.status).toBe(400);
  });
});

describe('a customer who is not recovered', () => {
  it("is reported to the case's owner by the next sweep, once", async () => {
    const created = await api.admin('POST', 'v1/campaigns', {
      name: 'Recovery B',
      surveyId: 'demo',
      channel: 'email',
      audience: { attributes: { list: `${list}-b` } },
    });
    const campaignId = created.json.campaignId as string;
    expect((await api.admin('POST', `v1/campaigns/${campaignId}/start`)).status).toBe(202);
    await rt.idle();
    const link = linkIn((await mailsTo(pedro))[0]?.body.text, /\/s\/demo/);
    const page = await api.call('GET', `${link.pathname}${link.search}`);
    const comment = `Produto quebrado ${run}`;
    await postForm(link.pathname, { ...hiddenFields(page.text), nps: '0', csat: '1', ces: '1', comment });
    await rt.idle();
    const open = await api.admin('GET', 'v1/cases?surveyId=demo&status=open&limit=100');
    const c = open.json.items.find((x: { answers: { comment?: string } }) => x.answers.comment === comment);
    const resolved = await api.admin('POST', `v1/cases/${c.caseId}/resolve`, {
      ...resolution,
      followUp: true,
    });
    await sweepAt(new Date(Date.parse(resolved.json.recovery.dueAt) + 60_000));
    const followUp = linkIn(
      (await mailsTo(pedro)).find((m) => m.subject === 'Resolvemos o seu problema?')?.body.text,
      /\/c\/[A-Za-z0-9_-]+\/follow-up/,
    );
    const question = await api.call('GET', `${followUp.pathname}${followUp.search}`);
    const answered = await postForm(`${followUp.pathname}${followUp.search}`, {
      ...hiddenFields(question.text),
      recovery: '2',
    });
    expect(answered.status).toBe(200);
    expect(answered.text).toContain('Sua resposta vai para a equipe');

    const owner = c.owner.email as string;
    const notRecovered = async () =>
      (await mailsTo(owner)).filter(
        (m) => m.subject.startsWith('Not recovered') && m.subject.includes(c.caseId),
      );
    await sweepAt(new Date(Date.now() + 60_000));
    expect(await notRecovered()).toHaveLength(1);
    expect((await notRecovered())[0]?.body.text).toContain('2 / 5');
    expect(
      rt
        .snsMessages()
        .filter(
          (m) =>
            m.messageAttributes.event?.StringValue === 'not-recovered' &&
            m.messageAttributes.caseId?.StringValue === c.caseId,
        ),
    ).toHaveLength(1);
    await sweepAt(new Date(Date.now() + 120_000));
    expect(await notRecovered()).toHaveLength(1);
    const stored = (await api.admin('GET', `v1/cases/${c.caseId}`)).json;
    expect(stored.recovery).toMatchObject({
      status: 'answered',
      score: 2,
      recovered: false,
      ownerToldAt: expect.any(String),
    });
  });
});
