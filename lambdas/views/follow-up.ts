import { LOCALES, type Locale, type Survey, surveySchema } from '#kernel/survey.ts';
import { FOLLOW_UP_FIELD } from '#loop/rules/recovery.ts';
import type { FollowUpContent } from '#loop/use-cases/send-follow-up.ts';
import { html } from './html.ts';
import { messages } from './i18n.ts';
import { emailButton, emailDocument, toGsm7 } from './invitation-email.ts';
import { page } from './layout.ts';
import { renderSurveyPage } from './survey-page.ts';
import { fill, oneLine, webUrl } from './text.ts';

/**
 * The customer's follow-up after their case was resolved: one question, by email or SMS, and its page. Kept apart
 * from i18n.ts so the survey page's bundle does not carry it.
 */
export const FOLLOW_UP_WORDS: Record<
  Locale,
  {
    subject: string;
    preheader: string;
    intro: string;
    introNamed: string;
    question: string;
    action: string;
    why: string;
    whyNamed: string;
    sms: string;
    smsNamed: string;
    thanksRecovered: string;
    thanksNotRecovered: string;
  }
> = {
  en: {
    subject: 'Did we put it right?',
    preheader: 'One question about how we handled your feedback.',
    intro: 'You told us about a problem, and we have worked on it. Did we put it right?',
    introNamed: 'You told {sender} about a problem, and we have worked on it. Did we put it right?',
    question: 'How satisfied are you with how we handled your feedback?',
    action: 'Answer one question',
    why: 'You received this email because you told us about a problem and we followed it up.',
    whyNamed: 'You received this email because you told {sender} about a problem and we followed it up.',
    sms: 'You told us about a problem and we worked on it. Did we put it right? One question: {url}',
    smsNamed: '{sender}: you told us about a problem and we worked on it. Did we put it right? {url}',
    thanksRecovered: 'Thank you. We are glad it was put right.',
    thanksNotRecovered: 'Thank you for telling us. Your answer goes to the team that handled your case.',
  },
  es: {
    subject: '¿Lo solucionamos?',
    preheader: 'Una pregunta sobre cómo atendimos su comentario.',
    intro: 'Usted nos contó un problema y trabajamos en él. ¿Lo solucionamos?',
    introNamed: 'Usted le contó un problema a {sender} y trabajamos en él. ¿Lo solucionamos?',
    question: '¿Qué tan satisfecho está con cómo atendimos su comentario?',
    action: 'Responder una pregunta',
    why: 'Recibe este correo porque nos contó un problema y le hicimos seguimiento.',
    whyNamed: 'Recibe este correo porque le contó un problema a {sender} y le hicimos seguimiento.',
    sms: 'Nos contó un problema y trabajamos en él. ¿Lo solucionamos? Una pregunta: {url}',
    smsNamed: '{sender}: nos contó un problema y trabajamos en él. ¿Lo solucionamos? {url}',
    thanksRecovered: 'Gracias. Nos alegra haberlo solucionado.',
    thanksNotRecovered: 'Gracias por contárnoslo. Su respuesta llega al equipo que atendió su caso.',
  },
  pt: {
    subject: 'Resolvemos o seu problema?',
    preheader: 'Uma pergunta sobre como tratamos o seu comentário.',
    intro: 'Você nos contou um problema e trabalhamos nele. Resolvemos?',
    introNamed: 'Você contou um problema à {sender} e trabalhamos nele. Resolvemos?',
    question: 'Qual é a sua satisfação com a forma como tratamos o seu comentário?',
    action: 'Responder uma pergunta',
    why: 'Você recebeu este e-mail porque nos contou um problema e fizemos o acompanhamento.',
    whyNamed: 'Você recebeu este e-mail porque contou um problema à {sender} e fizemos o acompanhamento.',
    sms: 'Você nos contou um problema e trabalhamos nele. Resolvemos? Uma pergunta: {url}',
    smsNamed: '{sender}: você nos contou um problema e trabalhamos nele. Resolvemos? {url}',
    thanksRecovered: 'Obrigado. Que bom que resolvemos.',
    thanksNotRecovered: 'Obrigado por nos contar. Sua resposta vai para a equipe que cuidou do seu caso.',
  },
};

/** The follow-up email: the question and one button to its page (mail scanners follow links: the page asks). */
export function renderFollowUpEmail(input: FollowUpContent): { subject: string; html: string; text: string } {
  const w = FOLLOW_UP_WORDS[input.locale];
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
  const w = FOLLOW_UP_WORDS[input.locale];
  const url = webUrl(input.followUpUrl, 'followUpUrl');
  const sender = input.senderName ? oneLine(input.senderName, 40) : '';
  return fill(toGsm7(sender ? w.smsNamed : w.sms), { sender: toGsm7(sender), url });
}

/** The question as a one-question survey, so it gets the survey page's faces, labels and error handling. */
const FOLLOW_UP_SURVEY: Survey = surveySchema.parse({
  id: 'follow-up',
  title: Object.fromEntries(LOCALES.map((l) => [l, FOLLOW_UP_WORDS[l].subject])),
  questions: [
    {
      id: FOLLOW_UP_FIELD,
      type: 'csat',
      text: Object.fromEntries(LOCALES.map((l) => [l, FOLLOW_UP_WORDS[l].question])),
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
  const m = messages(input.locale);
  return renderSurveyPage({
    survey: FOLLOW_UP_SURVEY,
    locale: input.locale,
    action: input.action,
    submissionId: input.caseId,
    attributes: {},
    token: input.token,
    ...(input.value ? { values: { [FOLLOW_UP_FIELD]: input.value } } : {}),
    ...(input.error
      ? { errors: { [FOLLOW_UP_FIELD]: m.errors[input.error] ?? m.errors.default ?? '' } }
      : {}),
  });
}

export function renderFollowUpThanks(input: { locale: Locale; recovered: boolean }): string {
  const m = messages(input.locale);
  const w = FOLLOW_UP_WORDS[input.locale];
  return page({
    locale: input.locale,
    title: m.thanksTitle,
    body: html`<h1>${m.thanksTitle}</h1><p>${input.recovered ? w.thanksRecovered : w.thanksNotRecovered}</p>`,
  });
}
