import { describe, expect, it } from 'vitest';
import { demoSurvey, LOCALES, type SurveyInput, surveySchema } from '#kernel/survey.ts';
import {
  gsm7Length,
  type InvitationEmailInput,
  renderInvitationEmail,
  renderInvitationSms,
  toGsm7,
} from '#views/invitation-email.ts';
import { liveMarkup } from './inert.ts';

const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'] as const;
const TOKEN = `${'eyJpbnYiOiJjYW1wYWlnbi0yMDI2LmFiY2RlZmdoaWprbG1ub3BxcnN0dXYiLCJzdXJ2ZXkiOiJkZW1vIn0'}.AbCdEfGhIjKlMnOpQrStUv`;
const SURVEY_URL = `https://survey.example.com/s/demo?t=${TOKEN}`;
const UNSUBSCRIBE_URL = `https://survey.example.com/u/${TOKEN}`;
const demo = surveySchema.parse(demoSurvey);
const csatFirst = surveySchema.parse({
  ...demoSurvey,
  questions: (demoSurvey.questions ?? []).filter((q) => q.type !== 'nps'),
} satisfies SurveyInput);

const email = (over: Partial<InvitationEmailInput> = {}) =>
  renderInvitationEmail({
    survey: demo,
    locale: 'en',
    surveyUrl: SURVEY_URL,
    unsubscribeUrl: UNSUBSCRIBE_URL,
    reminder: false,
    ...over,
  });
const escaped = (s: string) => s.replaceAll('&', '&amp;');

describe('renderInvitationEmail', () => {
  it.each([...XSS])('escapes the survey texts and the sender name when they are %s', (evil) => {
    const survey = surveySchema.parse({
      ...demoSurvey,
      title: { en: evil },
      questions: [{ id: 'nps', type: 'nps', text: { en: evil } }],
    });
    const { html, text, subject } = email({ survey, senderName: evil });
    expect(liveMarkup(html)).toEqual([]);
    expect(html).toContain(evil.includes('<script>') ? '&lt;script&gt;' : '&quot;&gt;&lt;img');
    expect(html).not.toContain(evil);
    // The plain-text part and the subject are not HTML: they say it verbatim.
    expect(text).toContain(evil);
    expect(subject).toContain(evil);
  });

  it.each(['Visit\r\nBcc: evil@example.com', 'Visit\nBcc: evil@example.com', 'Visit\u0085X', 'Visit\u2028X'])(
    'keeps the subject on one line when the survey title is %j',
    (title) => {
      const survey = surveySchema.parse({ ...demoSurvey, title: { en: title } });
      const { subject } = email({ survey });
      expect(subject).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
      expect(subject).toMatch(/^Your opinion matters: Visit/);
    },
  );

  it.each([
    { locale: 'en', subject: 'Your opinion matters: How did we do?', reminder: 'Reminder: How did we do?' },
    {
      locale: 'es',
      subject: 'Su opinión nos importa: ¿Cómo lo hicimos?',
      reminder: 'Recordatorio: ¿Cómo lo hicimos?',
    },
    {
      locale: 'pt',
      subject: 'Sua opinião é importante: Como nos saímos?',
      reminder: 'Lembrete: Como nos saímos?',
    },
  ] as const)(
    'speaks $locale in the subject, the page language and the unsubscribe link',
    ({ locale, subject, reminder }) => {
      const first = email({ locale });
      const again = email({ locale, reminder: true });
      expect(first.subject).toBe(subject);
      expect(again.subject).toBe(reminder);
      expect(first.html).toContain(`<html lang="${locale}" dir="ltr">`);
      const words = {
        en: ['Not at all likely', 'Unsubscribe'],
        es: ['Nada probable', 'Cancelar la suscripción'],
        pt: ['Nada provável', 'Cancelar inscrição'],
      }[locale];
      for (const word of words) {
        expect(first.html).toContain(word);
        expect(first.text).toContain(word);
      }
      expect(first.html).toContain(`href="${escaped(UNSUBSCRIBE_URL)}"`);
    },
  );

  it('asks for the score in the email when the first question is NPS', () => {
    const { html } = email();
    const hrefs = [...html.matchAll(/<a class="score" href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(Array.from({ length: 11 }, (_, n) => escaped(`${SURVEY_URL}&score=${n}`)));
    expect(html).toContain('How likely are you to recommend us to a friend or colleague?');
    expect(html).toMatch(/aria-label="0, Not at all likely"[^>]*>0<\/a>/);
    expect(html).toMatch(/aria-label="10, Extremely likely"[^>]*>10<\/a>/);
    expect(html).toContain('>Not at all likely</td>');
    expect(html).toContain('>Extremely likely</td>');
  });

  it('shows one button and no scores when the first question is not NPS', () => {
    const { html } = email({ survey: csatFirst });
    expect(html).not.toContain('score=');
    expect(html).not.toContain('Not at all likely');
    expect(html).toContain(`<a href="${escaped(SURVEY_URL)}" style="display:inline-block;`);
    expect(html).toContain('>Start the survey</a>');
  });

  it('says the same in the text part, with the survey and unsubscribe links', () => {
    const { text } = email({ senderName: 'Acme Stores' });
    expect(text).toContain('How did we do?');
    expect(text).toContain('Thank you for choosing Acme Stores.');
    expect(text).toContain(`Start the survey: ${SURVEY_URL}`);
    expect(text).toContain(`Unsubscribe: ${UNSUBSCRIBE_URL}`);
    expect(text).toContain('because you were recently in contact with Acme Stores');
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it('has its own words when it is a reminder', () => {
    const first = email();
    const reminder = email({ reminder: true });
    expect(reminder.html).toContain('A few days ago we asked about your experience.');
    expect(reminder.text).toContain('A few days ago we asked about your experience.');
    expect(first.html).not.toContain('A few days ago');
    expect(reminder.html).toContain('There is still time to tell us about your experience.');
  });

  it('is email-client safe: a preheader, inline styles, a dark scheme, nothing loaded or run', () => {
    const { html } = email();
    expect(html).toMatch(/<div style="display:none;[^"]*">A few quick questions\./);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('@media (prefers-color-scheme:dark)');
    expect(html).toContain('<table role="presentation"');
    expect(liveMarkup(html)).toEqual([]);
    expect(html).not.toMatch(/<link\b|\bsrc=|url\(/i);
  });

  it.each(LOCALES)('stays under 15 KB in %s, even with the longest title and question', (locale) => {
    const long = 'A long survey title with many words '.repeat(14).slice(0, 500);
    const survey = surveySchema.parse({
      ...demoSurvey,
      title: { en: long, es: long, pt: long },
      questions: [{ id: 'nps', type: 'nps', text: { en: long, es: long, pt: long } }],
    });
    for (const reminder of [false, true]) {
      const { html } = email({ survey, locale, reminder, senderName: 'A'.repeat(100) });
      expect(Buffer.byteLength(html)).toBeLessThan(15 * 1024);
    }
  });

  it.each(['javascript:alert(1)', 'not a url', 'data:text/html,hi'])(
    'refuses to render when a link is %s',
    (bad) => {
      expect(() => email({ surveyUrl: bad })).toThrow(TypeError);
      expect(() => email({ unsubscribeUrl: bad })).toThrow(TypeError);
    },
  );
});

describe('renderInvitationSms', () => {
  const sms = (over: Partial<Parameters<typeof renderInvitationSms>[0]> = {}) =>
    renderInvitationSms({ survey: demo, locale: 'en', surveyUrl: SURVEY_URL, reminder: false, ...over });

  it.each(LOCALES.flatMap((locale) => [false, true].map((reminder) => ({ locale, reminder }))))(
    'fits the words in one GSM-7 segment and ends with the link in $locale (reminder $reminder)',
    ({ locale, reminder }) => {
      const text = sms({ locale, reminder });
      expect(text.endsWith(` ${SURVEY_URL}`)).toBe(true);
      const words = text.slice(0, -SURVEY_URL.length);
      expect(gsm7Length(words)).toBeLessThanOrEqual(160);
      // Short links make the whole message one segment.
      const short = sms({ locale, reminder, surveyUrl: 'https://cx.example/s/demo?t=abc.def' });
      expect(gsm7Length(short)).toBeLessThanOrEqual(160);
    },
  );

  it.each([
    { locale: 'en', first: 'How did we do?', reminder: 'Reminder: How did we do?' },
    { locale: 'es', first: '¿Como lo hicimos?', reminder: 'Recordatorio: ¿Como lo hicimos?' },
    { locale: 'pt', first: 'Como nos saimos?', reminder: 'Lembrete: Como nos saimos?' },
  ] as const)(
    'starts with the survey title in $locale, accents GSM lacks taken off',
    ({ locale, first, reminder }) => {
      expect(sms({ locale }).split('\n')[0]).toBe(first);
      expect(sms({ locale, reminder: true }).split('\n')[0]).toBe(reminder);
    },
  );

  it('cuts a long title so the words still fit one segment', () => {
    const title = 'Tell us about your visit to our flagship store downtown last weekend, please';
    const survey = surveySchema.parse({ ...demoSurvey, title: { en: title.repeat(6) } });
    const text = sms({ survey, surveyUrl: 'https://cx.example/s/demo?t=abc.def' });
    expect(text.split('\n')[0]).toMatch(/^Tell us about your visit.*\.\.\.$/);
    expect(gsm7Length(text)).toBeLessThanOrEqual(160);
  });

  it('keeps the title on one line', () => {
    const survey = surveySchema.parse({ ...demoSurvey, title: { en: 'Line one\r\nLine two' } });
    expect(sms({ survey }).split('\n')[0]).toBe('Line one Line two');
  });
});

describe('toGsm7', () => {
  it.each([
    { text: 'Como nos saímos?', expected: 'Como nos saimos?' },
    { text: 'Avaliação do atendimento', expected: 'Avaliacao do atendimento' },
    { text: '¿Qué tal? ¡Olé! Ñandú', expected: '¿Qué tal? ¡Olé! Ñandu' },
    { text: '“Quoted” – dash…', expected: '"Quoted" - dash...' },
    { text: 'Café ☕', expected: 'Café ☕' },
  ])('makes "$text" into "$expected"', ({ text, expected }) => {
    expect(toGsm7(text)).toBe(expected);
  });

  it('counts extension characters as two septets and refuses what GSM-7 cannot say', () => {
    expect(gsm7Length('a{b}€')).toBe(8);
    expect(gsm7Length('ação')).toBeUndefined();
  });
});
