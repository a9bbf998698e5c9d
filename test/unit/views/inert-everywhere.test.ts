import { describe, expect, it } from 'vitest';
import { escalationEmailOf } from '#http/alert-email.ts';
import { demoSurvey, LOCALES, type Locale, surveySchema } from '#kernel/survey.ts';
import type { Case } from '#loop/rules/case.ts';
import type { Tier } from '#loop/rules/routing.ts';
import { renderAlertEmail } from '#views/alert-email.ts';
import { renderAcknowledged, renderAcknowledgePage } from '#views/case-link-pages.ts';
import { renderDigestEmail } from '#views/digest-email.ts';
import { renderFollowUpEmail, renderFollowUpPage, renderFollowUpThanks } from '#views/follow-up.ts';
import { renderInvitationEmail } from '#views/invitation-email.ts';
import {
  renderAlreadyAnswered,
  renderProblemPage,
  renderThankYou,
  renderUnsubscribe,
  renderUnsubscribed,
} from '#views/pages.ts';
import { notRecoveredEmailOf } from '#views/recovery-email.ts';
import { renderSurveyPage } from '#views/survey-page.ts';
import { liveMarkup } from './inert.ts';

/** Markup in text, and a quote that would break out of an attribute (the two need two probes: see inert.ts). */
const PROBES = ['<img src=x onerror=alert(1)><script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
const cases = LOCALES.flatMap((locale) => PROBES.map((evil) => ({ locale, evil })));

const surveyWith = (EVIL: string) =>
  surveySchema.parse({
    ...demoSurvey,
    title: { en: EVIL, es: EVIL, pt: EVIL },
    questions: demoSurvey.questions.map((q) => ({ ...q, text: { en: EVIL, es: EVIL, pt: EVIL } })),
  });
const aCase = (locale: Locale, EVIL: string) =>
  ({
    caseId: EVIL,
    surveyId: 'demo',
    status: 'acknowledged',
    severity: 'high',
    answers: { nps: 2, comment: EVIL },
    segment: { store: EVIL },
    hits: [{ ruleId: EVIL }],
    openedAt: '2026-11-20T10:00:00Z',
    owner: { segment: 'store', email: 'owner@example.com', locale },
    resolutionNote: EVIL,
    recovery: { score: 1 },
  }) as unknown as Case;

/** Every page and HTML email, with customer (or team) text in every place it can reach. */
async function everything(locale: Locale, EVIL = PROBES[0] ?? ''): Promise<Record<string, string>> {
  const survey = surveyWith(EVIL);
  const links = { surveyUrl: 'https://x.example/s?t=1', unsubscribeUrl: 'https://x.example/u?t=1' };
  const tier = { role: EVIL, email: 'director@example.com', locale } as unknown as Tier;
  return {
    survey: renderSurveyPage({
      survey,
      locale,
      action: EVIL,
      submissionId: EVIL,
      attributes: { [EVIL]: EVIL },
      sig: EVIL,
      token: EVIL,
      values: { nps: EVIL, comment: EVIL },
      errors: { nps: EVIL, [EVIL]: EVIL },
      formError: EVIL,
    }),
    thanks: renderThankYou({ survey, locale }),
    already: renderAlreadyAnswered({ locale }),
    problem: renderProblemPage({ locale, status: 404, title: EVIL, detail: EVIL }),
    unsubscribe: renderUnsubscribe({ locale, action: EVIL }),
    unsubscribed: renderUnsubscribed({ locale }),
    acknowledge: renderAcknowledgePage({ locale, action: EVIL, caseId: EVIL }),
    acknowledged: renderAcknowledged({ locale, changed: true }),
    followUpPage: renderFollowUpPage({
      locale,
      action: EVIL,
      token: EVIL,
      caseId: EVIL,
      value: EVIL,
      error: EVIL,
    }),
    followUpThanks: renderFollowUpThanks({ locale, recovered: false }),
    invitation: renderInvitationEmail({ survey, locale, reminder: false, senderName: EVIL, ...links }).html,
    followUp: renderFollowUpEmail({ locale, followUpUrl: links.surveyUrl, ...links, senderName: EVIL }).html,
    alert: renderAlertEmail({
      locale,
      surveyTitle: EVIL,
      ruleId: EVIL,
      severity: 'low',
      answers: [{ question: EVIL, answer: EVIL }],
      comment: EVIL,
      segment: { [EVIL]: EVIL },
      caseId: EVIL,
      caseUrl: 'https://x.example/c',
      acknowledgeUrl: 'https://x.example/a',
      openedAt: EVIL,
    }).html,
    escalation: (await escalationEmailOf('https://x.example/')(aCase(locale, EVIL), survey, tier)).html,
    notRecovered: notRecoveredEmailOf('https://x.example/')(aCase(locale, EVIL), survey).html,
    digest: renderDigestEmail({
      locale,
      hour: '2026-11-20T10:00:00Z',
      cases: [{ caseId: EVIL, url: 'https://x.example/c' }],
      more: 3,
      listUrl: 'https://x.example/l',
    } as Parameters<typeof renderDigestEmail>[0]).html,
  };
}

describe('every page and email', () => {
  it.each(cases)(
    'keeps customer and team text inert in $locale when it is $evil',
    async ({ locale, evil }) => {
      const rendered = await everything(locale, evil);
      const live = Object.entries(rendered).filter(([, doc]) => liveMarkup(doc).length > 0);
      expect(live.map(([name]) => name)).toEqual([]);
    },
  );

  it.each(LOCALES)('comes in the one frame, in the language asked for, in %s', async (locale) => {
    for (const [name, doc] of Object.entries(await everything(locale))) {
      expect(doc, name).toMatch(
        new RegExp(`^<!doctype html><html lang="${locale}"( dir="ltr")?><head><meta charset="utf-8">`),
      );
      expect(doc.endsWith('</body></html>'), name).toBe(true);
    }
  });
});
