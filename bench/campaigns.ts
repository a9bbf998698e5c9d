import { gzipSync } from 'node:zlib';
import { startRuntime } from '#local/runtime.ts';
import { synthesizeTemplate } from '#local/template/index.ts';

export interface PageWeight {
  readonly page: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface SendFigures {
  readonly invitations: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Seconds from the start request to the first invitation SES took. */
  readonly firstAfterSeconds: number;
  /** From the first invitation to the last: the sending rate itself. */
  readonly steadyPerSecond: number;
  /** The configured rate (sendRatePerSecond), or null when unpaced. */
  readonly paced: number | null;
  readonly emailHtmlBytes: number;
  readonly emailTextBytes: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends a campaign of `invitations` emails through the local pipeline (campaign API, SQS queue, sender Lambda
 * workers with the template's maximum concurrency, DynamoDB Local, the local SES) and times it from the start
 * request until SES has taken the last invitation. `rate` is the stack's sendRatePerSecond; the sender paces to
 * it, so a high rate measures what the pipeline itself can do.
 */
export async function measureSends(invitations: number, rate: number): Promise<SendFigures> {
  const template = await synthesizeTemplate({ context: { sendRatePerSecond: rate, senderConcurrency: 2 } });
  const rt = await startRuntime({
    ports: { api: 0, dynamodb: 0, ses: 0, sns: 0, sqs: 0 },
    quiet: true,
    template,
    schedules: 'manual',
  });
  try {
    await rt.warm();
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(new URL(path, rt.apiUrl), {
        method,
        headers: { authorization: `Bearer ${rt.adminToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const list = `bench-${Date.now().toString(36)}`;
    for (let i = 0; i < invitations; i += 500) {
      const rows = Array.from({ length: Math.min(500, invitations - i) }, (_, j) => ({
        line: i + j + 2,
        fields: {
          email: `bench${i + j}.${list}@example.com`,
          locale: 'es',
          list,
          store: `s-${(i + j) % 20}`,
        },
      }));
      const res = await admin('POST', 'v1/contacts/import', { rows });
      if (res.status !== 200) throw new Error(`import answered ${res.status}`);
    }
    const created = (await (
      await admin('POST', 'v1/campaigns', {
        name: 'Bench',
        surveyId: 'demo',
        channel: 'email',
        audience: { attributes: { list } },
      })
    ).json()) as { campaignId: string };
    const sentOfCampaign = () => rt.sesMessages().filter((m) => m.tags.campaign === created.campaignId);
    const started = performance.now();
    const res = await admin('POST', `v1/campaigns/${created.campaignId}/start`);
    if (res.status !== 202) throw new Error(`start answered ${res.status}`);
    while (sentOfCampaign().length < invitations) {
      if (performance.now() - started > 600_000) throw new Error('the campaign did not finish in 10 minutes');
      await sleep(20);
    }
    const seconds = (performance.now() - started) / 1000;
    const times = sentOfCampaign()
      .map((m) => Date.parse(m.timestamp))
      .sort((a, b) => a - b);
    const first = times[0] ?? 0;
    const last = times.at(-1) ?? 0;
    const store = (await (await fetch(new URL('store', rt.mailboxUrl))).json()) as {
      emails: Array<{ destination: { to: string[] }; body: { html?: string; text?: string } }>;
    };
    const mail = store.emails.find((m) => m.destination.to.some((t) => t.includes(list)));
    return {
      invitations,
      seconds,
      perSecond: invitations / seconds,
      firstAfterSeconds: seconds - (last - first) / 1000,
      steadyPerSecond: last > first ? ((invitations - 1) * 1000) / (last - first) : 0,
      paced: rate >= 1000 ? null : rate,
      emailHtmlBytes: Buffer.byteLength(mail?.body.html ?? ''),
      emailTextBytes: Buffer.byteLength(mail?.body.text ?? ''),
    };
  } finally {
    await rt.stop();
  }
}

/** The survey page, an error page and the thank-you page as served by the local API, per language. */
export async function measurePageWeight(): Promise<PageWeight[]> {
  const rt = await startRuntime({
    ports: { api: 0, dynamodb: 0, ses: 0, sns: 0, sqs: 0 },
    quiet: true,
    schedules: 'manual',
  });
  try {
    const weights: PageWeight[] = [];
    const weigh = (page: string, body: string) => {
      const bytes = Buffer.from(body);
      weights.push({ page, bytes: bytes.length, gzipBytes: gzipSync(bytes).length });
    };
    for (const lang of ['en', 'es', 'pt']) {
      const res = await fetch(new URL(`s/demo?lang=${lang}`, rt.apiUrl));
      weigh(`survey page (${lang})`, await res.text());
    }
    const invalid = await fetch(new URL('s/demo', rt.apiUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ submissionId: `weight-${Date.now()}`, locale: 'es', nps: '11' }).toString(),
    });
    weigh('survey page with errors (es)', await invalid.text());
    const thanks = await fetch(new URL('s/demo', rt.apiUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        submissionId: `weight-ok-${Date.now()}`,
        locale: 'pt',
        nps: '9',
        csat: '5',
        ces: '6',
      }).toString(),
    });
    weigh('thank-you page (pt)', await thanks.text());
    return weights;
  } finally {
    await rt.stop();
  }
}
