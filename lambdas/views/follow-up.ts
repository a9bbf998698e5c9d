import { LOCALES, type Locale, type Survey, surveySchema } from '#kernel/survey.ts';
import { FOLLOW_UP_FIELD } from '#loop/rules/recovery.ts';
import type { FollowUpContent } from '#loop/use-cases/send-follow-up.ts';
import { html } from './html.ts';
import { fieldErrorMessage, messages } from './i18n.ts';
import { emailButton, emailDocument, toGsm7 } from './invitation-email.ts';
import { page } from './layout.ts';
import { renderSurveyPage } from './survey-page.ts';
import { fill, oneLine, webUrl } from './text.ts';

/* The customer's follow-up after their case was resolved: one question, by email or SMS, and its page. */

/** The follow-up email: the question and one button to its page (mail scanners follow links: the page asks). */
export function renderFollowUpEmail(input: FollowUpContent): { subject: string; html: string; text: string } {
  const w = messages(input.locale).followUp;
  const inv = messages(input.locale).invitation;
  const url = webUrl(input.followUpUrl, 'followUpUrl');
  const unsubscribeUrl = webUrl(input.unsubscribeUrl, 'unsubscribeUrl');
  const sender = input.senderName ? oneLine(input.senderName, 100) : '';
  const intro = fill(sender ? w.introNamed : w.intro, { sender });
  const why = fill(sender ? w.whyNamed : w.why, { sender });
  const body = emailDocument({
    locale: input.locale,
    subject: w.subject,
    preheader: w.preheader,
    sender,
    title: w.subject,
    intro,
    main: html`<p style="margin:0 0 12px;font-weight:600">${w.question}</p>${emailButton(url, w.action)}`,
    mainText: [w.question, `${w.action}: ${url}`],
    link: { hint: inv.linkHint, url },
    footer: [inv.personal, why],
    unsubscribe: { lead: inv.unsubscribeLead, label: inv.unsubscribe, url: unsubscribeUrl },
  });
  return { subject: w.subject, ...body };
}

/** The follow-up SMS: one line and the link, GSM-7 where the language allows. */
export function renderFollowUpSms(input: Omit<FollowUpContent, 'unsubscribeUrl'>): string {
  const w = messages(input.locale).followUp;
  const url = webUrl(input.followUpUrl, 'followUpUrl');
  const sender = input.senderName ? oneLine(input.senderName, 40) : '';
  return fill(toGsm7(sender ? w.smsNamed : w.sms), { sender: toGsm7(sender), url });
}

/** The question as a one-question survey, so it gets the survey page's faces, labels and error handling. */
const FOLLOW_UP_SURVEY: Survey = surveySchema.parse({
  id: 'follow-up',
  title: Object.fromEntries(LOCALES.map((l) => [l, messages(l).followUp.subject])),
  questions: [
    {
      id: FOLLOW_UP_FIELD,
      type: 'csat',
      text: Object.fromEntries(LOCALES.map((l) => [l, messages(l).followUp.question])),
      required: true,
    },
  ],
});

/** The follow-up page: the question (faces 1-5 with their words for screen readers) and a submit button. */
export function renderFollowUpPage(input: {
  locale: Locale;
  action: string;
  token: string;
  caseId: string;
  error?: string | undefined;
  value?: string | undefined;
}): string {
  return renderSurveyPage({
    survey: FOLLOW_UP_SURVEY,
    locale: input.locale,
    action: input.action,
    submissionId: input.caseId,
    attributes: {},
    token: input.token,
    ...(input.value ? { values: { [FOLLOW_UP_FIELD]: input.value } } : {}),
    ...(input.error ? { errors: { [FOLLOW_UP_FIELD]: fieldErrorMessage(input.locale, input.error) } } : {}),
  });
}

export function renderFollowUpThanks(input: { locale: Locale; recovered: boolean }): string {
  const m = messages(input.locale);
  const w = messages(input.locale).followUp;
  return page({
    locale: input.locale,
    title: m.thanksTitle,
    body: html`<h1>${m.thanksTitle}</h1><p>${input.recovered ? w.thanksRecovered : w.thanksNotRecovered}</p>`,
  });
}
