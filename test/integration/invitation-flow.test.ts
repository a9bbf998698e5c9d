import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '#local/runtime.ts';
import { type client, startTestRuntime } from '../support/http.ts';
import { hiddenFields, mailsTo as mailsToOf, postForm as postFormOf } from '../support/pages.ts';

/**
 * The invitation flow end to end on the local runtime, with the real handlers: import contacts, start a
 * campaign, find the mail in the local SES mailbox, follow its link, answer, and watch reach and metrics move.
 * SES events come from the local SES front, which follows SES's mailbox simulator.
 */
let rt: Runtime;
let api: ReturnType<typeof client>;
let stopRuntime: (() => Promise<void>) | undefined;
const run = Date.now().toString(36);
const list = `flow-${run}`;
const ana = `ana.${run}@example.com`;
const store = `s-inv-${run}`;

const mailsTo = (address: string) => mailsToOf(rt.mailboxUrl, address);
const linkIn = (text: string | undefined) => {
  const url = /https?:\/\/\S+\/s\/demo\?t=[A-Za-z0-9_.-]+(?:&lang=[a-z]{2})?/.exec(text ?? '')?.[0];
  if (!url) throw new Error(`no survey link in ${text}`);
  return new URL(url);
};
const postForm = (path: string, fields: Record<string, string>) => postFormOf(api, path, fields);
const reachOf = async (campaignId: string) => {
  await rt.idle();
  const res = await api.admin('GET', `v1/campaigns/${campaignId}/reach`);
  expect(res.status).toBe(200);
  return res.json;
};
async function campaign(body: Record<string, unknown>): Promise<string> {
  const created = await api.admin('POST', 'v1/campaigns', { name: 'Flow', surveyId: 'demo', ...body });
  expect(created.status, created.text).toBe(201);
  const id = created.json.campaignId as string;
  const started = await api.admin('POST', `v1/campaigns/${id}/start`);
  expect(started.status).toBe(202);
  await rt.idle();
  return id;
}

beforeAll(async () => {
  ({ rt, api, stop: stopRuntime } = await startTestRuntime());
  const csv = [
    'email,phone,locale,list,store',
    `${ana},,es,${list},${store}`,
    `bounce@simulator.amazonses.com,,en,${list},${store}`,
    `,+5511900${run.slice(-6).replace(/\D/g, '7').padStart(6, '7')},pt,${list}-sms,${store}`,
  ].join('\n');
  const imported = await api.call('POST', 'v1/contacts/import', {
    raw: csv,
    headers: { 'content-type': 'text/csv' },
    admin: true,
  });
  expect(imported.json).toMatchObject({ imported: 3, errors: [] });
}, 120_000);

afterAll(async () => {
  await stopRuntime?.();
});

describe('an email campaign, from import to answer', () => {
  let first: string;
  let link: URL;

  it('sends each contact a localized invitation with one-click unsubscribe, and counts the bounce', async () => {
    first = await campaign({ channel: 'email', audience: { attributes: { list } } });
    const [mail] = await mailsTo(ana);
    expect(mail?.subject).toMatch(/[¿¡]|encuesta|opini/i);
    link = linkIn(mail?.body.text);
    expect(`${link.origin}/`).toBe(`${new URL(rt.apiUrl).origin}/`);
    expect(mail?.body.html).toContain('&amp;score=10');
    const sent = rt.sesMessages().find((m) => m.destination.some((d) => d.includes(ana)));
    expect(sent?.tags).toMatchObject({ campaign: first });
    const header = (name: string) => sent?.headers.find((h) => h.name.toLowerCase() === name)?.value;
    expect(header('list-unsubscribe')).toMatch(/^<https?:\/\/.+\/s\/demo\/unsubscribe\?t=.+>$/);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    const reach = await reachOf(first);
    expect(reach.total).toMatchObject({ queued: 2, invited: 2, delivered: 1, bounced: 1, completed: 0 });
    expect(reach.segments).toContainEqual(
      expect.objectContaining({
        key: 'store',
        value: store,
        counts: expect.objectContaining({ invited: 2 }),
      }),
    );
  });

  it('follows the link, answers in Spanish, and sees it counted in reach and in the metrics', async () => {
    const page = await api.call('GET', `${link.pathname}${link.search}&score=3`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="es"');
    // The score tapped in the email is chosen already.
    expect(page.text).toMatch(/name="nps" value="3"[^>]*checked/);
    const before = await api.admin('GET', `v1/surveys/demo/metrics?window=7d&segment=store:${store}`);
    const answered = await postForm(link.pathname, {
      ...hiddenFields(page.text),
      nps: '3',
      csat: '2',
      ces: '3',
      comment: 'Demasiado lento',
    });
    expect(answered.status).toBe(200);
    expect(answered.text).toContain('<html lang="es"');
    const reach = await reachOf(first);
    expect(reach.total).toMatchObject({ opened: 1, started: 1, completed: 1, responseRate: 1 });
    expect(reach.total.responseRateBasis).toBe('delivered');
    const after = await api.admin('GET', `v1/surveys/demo/metrics?window=7d&segment=store:${store}`);
    expect(after.json.nps.n).toBe((before.json.nps?.n ?? 0) + 1);
    // A detractor through an invitation raises a case like any other.
    const cases = await api.admin('GET', 'v1/cases?surveyId=demo&status=open');
    expect(JSON.stringify(cases.json.items)).toContain('Demasiado lento');
  });

  it('a reused link counts nothing and says it was answered', async () => {
    const again = await api.call('GET', `${link.pathname}${link.search}`);
    expect(again.status).toBe(200);
    expect(again.text).not.toContain('<form');
    const other = await postForm(link.pathname, {
      t: link.searchParams.get('t') ?? '',
      submissionId: 'ignored-anyway',
      locale: 'es',
      nps: '10',
      csat: '5',
      ces: '7',
    });
    expect(other.status).toBe(409);
    const reach = await reachOf(first);
    expect(reach.total.completed).toBe(1);
  });

  it('a tampered link is refused with a page and counts nothing', async () => {
    const t = link.searchParams.get('t') ?? '';
    const tampered = `${t.slice(0, 5)}${t[5] === 'x' ? 'y' : 'x'}${t.slice(6)}`;
    const res = await api.call('GET', `${link.pathname}?t=${tampered}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('a second campaign within 30 days throttles the contact, and the bounce keeps the other suppressed', async () => {
    const second = await campaign({ channel: 'email', audience: { attributes: { list } } });
    const reach = await reachOf(second);
    expect(reach.total).toMatchObject({ queued: 2, invited: 0, throttled: 1, suppressed: 1 });
    expect(await mailsTo(ana)).toHaveLength(1);
  });

  it('the one-click unsubscribe suppresses the contact for every later campaign', async () => {
    const sent = rt.sesMessages().find((m) => m.destination.some((d) => d.includes(ana)));
    const target = /<(.+)>/.exec(
      sent?.headers.find((h) => h.name.toLowerCase() === 'list-unsubscribe')?.value ?? '',
    )?.[1];
    const url = new URL(target ?? '');
    // What a mail client sends for RFC 8058 one-click unsubscribe.
    const res = await postForm(`${url.pathname}${url.search}`, { 'List-Unsubscribe': 'One-Click' });
    expect(res.status).toBe(200);
    expect((await reachOf(first)).total.unsubscribed).toBe(1);
    const third = await campaign({ channel: 'email', audience: { attributes: { list } }, quietDays: 0 });
    expect((await reachOf(third)).total).toMatchObject({ invited: 0, suppressed: 2 });
  });

  it('asks and confirms the unsubscribe in the language of the invitation, not the browser', async () => {
    const [mail] = await mailsTo(ana);
    const target = /https?:\/\/\S+\/s\/demo\/unsubscribe\?\S+/.exec(mail?.body.text ?? '')?.[0];
    const url = new URL(target ?? '');
    const english = { 'accept-language': 'en-GB,en;q=0.9' };
    const asked = await api.call('GET', `${url.pathname}${url.search}`, { headers: english });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('<html lang="es">');
    // The page's own button, as a browser posts it: to the form's action, with the form's fields.
    const action = (/<form method="post" action="([^"]+)">/.exec(asked.text)?.[1] ?? '').replaceAll(
      '&amp;',
      '&',
    );
    const done = await api.call('POST', new URL(action, url).href.slice(url.origin.length), {
      raw: new URLSearchParams(hiddenFields(asked.text)).toString(),
      headers: { ...english, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(done.status).toBe(200);
    expect(done.text).toContain('<html lang="es">');
    expect(done.text).toContain('<h1>Suscripción cancelada</h1>');
  });
});

describe('an SMS campaign with a reminder', () => {
  it('sends the link by SMS through SNS, and one reminder after the days set', async () => {
    const id = await campaign({
      channel: 'sms',
      audience: { attributes: { list: `${list}-sms` } },
      reminderAfterDays: 3,
    });
    const sms = () => rt.snsMessages().filter((m) => m.phoneNumber && m.message.includes('/s/demo?t='));
    const texts = sms().filter((m) => m.messageAttributes['AWS.SNS.SMS.SMSType']);
    expect(texts.length).toBeGreaterThanOrEqual(1);
    const mine = texts.at(-1);
    expect(mine?.message.length).toBeLessThan(320);
    expect((await reachOf(id)).total).toMatchObject({
      invited: 1,
      delivered: 0,
      responseRateBasis: 'invited',
    });

    await rt.runSchedule('ReminderSchedule', { time: new Date(Date.now() + 2 * 86_400_000) });
    await rt.idle();
    expect(sms().filter((m) => m.phoneNumber === mine?.phoneNumber)).toHaveLength(1);
    await rt.runSchedule('ReminderSchedule', { time: new Date(Date.now() + 3 * 86_400_000 + 3_600_000) });
    await rt.idle();
    expect(sms().filter((m) => m.phoneNumber === mine?.phoneNumber)).toHaveLength(2);
    expect((await reachOf(id)).total.reminded).toBe(1);
    // The next hourly run reminds nobody again.
    await rt.runSchedule('ReminderSchedule', { time: new Date(Date.now() + 3 * 86_400_000 + 7_200_000) });
    await rt.idle();
    expect(sms().filter((m) => m.phoneNumber === mine?.phoneNumber)).toHaveLength(2);
  });
});

describe('bad input to campaigns and invitation links', () => {
  it('answers 4xx (problem+json from the API, a page for customers), never 5xx, and stores nothing', async () => {
    const before = (await api.admin('GET', 'v1/campaigns')).json.items.length;
    const valid = { name: 'Bad', surveyId: 'demo', channel: 'email' };
    const apiCases: Array<[string, string, unknown, number]> = [
      ['POST', 'v1/campaigns', {}, 400],
      ['POST', 'v1/campaigns', { ...valid, channel: 'fax' }, 400],
      ['POST', 'v1/campaigns', { ...valid, surveyId: 'no-such-survey' }, 400],
      ['POST', 'v1/campaigns', { ...valid, surveyId: '../demo' }, 400],
      ['POST', 'v1/campaigns', { ...valid, quietDays: -1 }, 400],
      ['POST', 'v1/campaigns', { ...valid, reminderAfterDays: 'soon' }, 400],
      ['POST', 'v1/campaigns', { ...valid, name: 'x'.repeat(5000) }, 400],
      ['POST', 'v1/campaigns', { ...valid, extra: true }, 400],
      [
        'POST',
        'v1/campaigns',
        {
          ...valid,
          audience: { attributes: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) },
        },
        400,
      ],
      ['POST', 'v1/campaigns', [valid], 400],
      ['POST', 'v1/campaigns/no-such-campaign/start', undefined, 404],
      ['GET', 'v1/campaigns/no-such-campaign', undefined, 404],
      ['GET', 'v1/campaigns/no-such-campaign/reach', undefined, 404],
    ];
    for (const [method, path, body, status] of apiCases) {
      const res = await api.admin(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}`).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const notJson = await api.call('POST', 'v1/campaigns', {
      raw: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      admin: true,
    });
    expect(notJson.status).toBe(415);

    const forged = `${Buffer.from(JSON.stringify(['x.y', 'demo', 'y', 9e9])).toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`;
    const pageCases: Array<[string, string, Record<string, string> | undefined, number]> = [
      ['GET', 's/demo?t=garbage', undefined, 403],
      ['GET', `s/demo?t=${forged}`, undefined, 403],
      ['GET', `s/demo?t=${'a'.repeat(5000)}.b`, undefined, 403],
      ['GET', 's/demo?t=&score=99', undefined, 200],
      ['POST', 's/demo', { t: forged, submissionId: 'inv.x.y', nps: '9', csat: '5', ces: '6' }, 403],
      ['GET', 's/demo/unsubscribe', undefined, 403],
      ['GET', `s/demo/unsubscribe?t=${forged}`, undefined, 403],
      ['POST', `s/demo/unsubscribe?t=${forged}`, { 'List-Unsubscribe': 'One-Click' }, 403],
      ['POST', 's/demo/unsubscribe', { t: 'garbage' }, 403],
      ['GET', 's/no-such-survey/unsubscribe?t=garbage', undefined, 403],
    ];
    for (const [method, path, form, status] of pageCases) {
      const res =
        method === 'GET'
          ? await api.call('GET', path)
          : await api.call('POST', path, {
              raw: new URLSearchParams(form).toString(),
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            });
      expect(res.status, `${method} ${path.slice(0, 80)}`).toBe(status);
      expect(res.headers.get('content-type')).toContain('text/html');
    }
    expect((await api.admin('GET', 'v1/campaigns')).json.items).toHaveLength(before);
  });
});
