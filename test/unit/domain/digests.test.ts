import { describe, expect, it } from 'vitest';
import { buildResponse } from '#capture/rules/response.ts';
import { demoSurvey, type Locale, surveySchema } from '#kernel/survey.ts';
import type { AlertBudgetStore } from '#loop/ports.ts';
import { type Admission, DIGEST_LISTED, hourOf, type PendingDigest } from '#loop/rules/digests.ts';
import { raiseAlerts } from '#loop/use-cases/raise-alerts.ts';
import { sendDigests } from '#loop/use-cases/send-digests.ts';
import { renderDigestEmail } from '#views/digest-email.ts';
import {
  MemoryCaseStore,
  MemoryMailer,
  MemoryNotifier,
  MemoryRoutingStore,
  MemorySurveyStore,
} from '../../support/fakes.ts';

/**
 * The same counting as the DynamoDB adapter: at most `limit` ids sent one by one, the first DIGEST_LISTED past them
 * listed, the others counted.
 */
class MemoryBudget implements AlertBudgetStore {
  readonly hours = new Map<
    string,
    { cases: Set<string>; digested: Set<string>; more: number; sent: boolean; locale?: Locale | undefined }
  >();
  async admit(owner: string, caseId: string, at: Date, limit: number, locale?: Locale): Promise<Admission> {
    const key = `${owner}|${hourOf(at)}`;
    const h = this.hours.get(key) ?? { cases: new Set(), digested: new Set(), more: 0, sent: false };
    this.hours.set(key, h);
    if (h.cases.has(caseId) || h.cases.size < limit) {
      h.cases.add(caseId);
      return 'send';
    }
    if (h.sent) return 'send';
    h.locale = locale;
    if (h.digested.has(caseId)) return 'digest';
    if (h.digested.size < DIGEST_LISTED) h.digested.add(caseId);
    else h.more++;
    return 'digest';
  }
  async pendingDigests(now: Date): Promise<PendingDigest[]> {
    return [...this.hours.entries()]
      .filter(
        ([k, h]) =>
          !h.sent && h.digested.size > 0 && Date.parse(k.split('|')[1] ?? '') + 3_600_000 <= now.getTime(),
      )
      .map(([k, h]) => ({
        owner: k.split('|')[0] ?? '',
        hour: k.split('|')[1] ?? '',
        caseIds: [...h.digested],
        more: h.more,
        ...(h.locale ? { locale: h.locale } : {}),
      }));
  }
  async markDigestSent(owner: string, hour: string) {
    const h = this.hours.get(`${owner}|${hour}`);
    if (!h || h.sent) return false;
    h.sent = true;
    return true;
  }
}

const survey = surveySchema.parse(demoSurvey);

describe('a digest instead of a storm', () => {
  it('tells an owner of 10 cases one by one in an hour, and of the other 190 in one digest after it that lists 20', async () => {
    let now = new Date('2026-11-20T10:00:00Z');
    const mailer = new MemoryMailer();
    const notifier = new MemoryNotifier();
    const budget = new MemoryBudget();
    const deps = {
      surveys: new MemorySurveyStore([survey]),
      cases: new MemoryCaseStore(),
      routing: new MemoryRoutingStore(),
      notifier,
      mailer,
      budget,
      clock: { now: () => now },
      renderEmail: () => ({ subject: 'New case', html: '<p>Case</p>', text: 'Case' }),
    };
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      now = new Date(Date.parse('2026-11-20T10:00:00Z') + i * 15_000);
      const response = buildResponse({
        survey,
        submissionId: `storm-${i}`,
        answers: { nps: 1, csat: 1, ces: 1 },
        attributes: { store: 's-001' },
        capturedVia: 'api',
        now,
      });
      const outcome = await raiseAlerts(deps, response);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      // A retried record counts nothing more.
      if (i === 3) expect(await raiseAlerts(deps, response)).toBe('already-notified');
    }
    expect(Object.fromEntries(outcomes)).toEqual({ notified: 10, digested: 190 });
    expect(mailer.sent).toHaveLength(10);
    expect(notifier.published).toHaveLength(10);

    const digests = {
      budget,
      mailer,
      notifier,
      caseUrl: (id: string) => `https://pulso.example.com/v1/cases/${id}`,
      casesUrl: 'https://pulso.example.com/v1/cases?status=open',
      render: renderDigestEmail,
    };
    expect(await sendDigests(digests, new Date('2026-11-20T10:59:00Z'))).toBe(0);
    expect(await sendDigests(digests, new Date('2026-11-20T11:01:00Z'))).toBe(1);
    expect(await sendDigests(digests, new Date('2026-11-20T11:06:00Z'))).toBe(0);
    const digest = mailer.sent.at(-1);
    expect(digest).toMatchObject({
      to: 'cx-team@example.com',
      subject: expect.stringMatching(/^190 more cases/),
    });
    expect(digest?.text.split('\n').filter((l) => l.startsWith('- https://'))).toHaveLength(DIGEST_LISTED);
    expect(digest?.text).toContain(
      `And ${190 - DIGEST_LISTED} more cases, not listed here.\nSee every open case: https://pulso.example.com/v1/cases?status=open`,
    );
    expect(notifier.published.at(-1)?.attributes).toMatchObject({ event: 'digest', count: '190' });
    expect(mailer.sent).toHaveLength(11);
  });

  it("writes the digest in the owner's language, every link escaped", async () => {
    const budget = new MemoryBudget();
    const at = new Date('2026-11-20T10:05:00Z');
    for (const id of ['a', 'b', 'c']) await budget.admit('gerente@example.com', id, at, 1, 'es');
    const mailer = new MemoryMailer();
    await sendDigests(
      {
        budget,
        mailer,
        notifier: new MemoryNotifier(),
        caseUrl: (id: string) => `https://pulso.example.com/v1/cases/${id}?x="<b>`,
        render: renderDigestEmail,
      },
      new Date('2026-11-20T11:00:00Z'),
    );
    expect(mailer.sent[0]).toMatchObject({
      to: 'gerente@example.com',
      subject: '2 casos más para usted en la hora desde las 2026-11-20 10:00 UTC',
    });
    expect(mailer.sent[0]?.html).toContain('<html lang="es"');
    expect(mailer.sent[0]?.html).not.toContain('"<b>');
  });

  it.each([
    ['en', 'And 3 more cases, not listed here.', 'See every open case'],
    ['es', 'Y 3 casos más, que no se listan aquí.', 'Ver todos los casos abiertos'],
    ['pt', 'E mais 3 casos, que não estão listados aqui.', 'Ver todos os casos abertos'],
  ] as const)(
    'counts in %s the cases it does not list, with a link to the case list',
    (locale, more, all) => {
      const email = renderDigestEmail({
        locale,
        hour: '2026-11-20T10:00:00.000Z',
        cases: [
          { caseId: 'a', url: 'https://x.example/v1/cases/a' },
          { caseId: 'b', url: 'https://x.example/v1/cases/b' },
        ],
        more: 3,
        listUrl: 'https://x.example/v1/cases?status=open',
      });
      expect(email.subject).toMatch(/^5 /);
      expect(email.text.split('\n').slice(-2)).toEqual([
        more,
        `${all}: https://x.example/v1/cases?status=open`,
      ]);
      expect(email.html).toContain(
        `<p>${more} <a href="https://x.example/v1/cases?status=open">${all}</a></p>`,
      );
    },
  );

  it('says nothing of more cases when it lists them all', () => {
    const email = renderDigestEmail({
      locale: 'en',
      hour: '2026-11-20T10:00:00.000Z',
      cases: [{ caseId: 'a', url: 'https://x.example/v1/cases/a' }],
      more: 0,
      listUrl: 'https://x.example/v1/cases?status=open',
    });
    expect(email.subject).toMatch(/^1 more cases/);
    expect(email.text).not.toContain('not listed');
    expect(email.html).not.toContain('v1/cases?status=open');
  });
});
