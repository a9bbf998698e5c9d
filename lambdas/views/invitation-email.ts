import type { InvitationContent } from '#invitations/use-cases/send-invitations.ts';
import { type Locale, localized } from '#kernel/survey.ts';
import { html, raw, type SafeHtml } from './html.ts';
import { messages } from './i18n.ts';
import { emailFrame } from './layout.ts';
import { fill, oneLine, webUrl } from './text.ts';

/** What an invitation says: the survey, the contact's language, their links (see send-invitations.ts). */
export type InvitationEmailInput = InvitationContent;
export type InvitationSmsInput = Omit<InvitationContent, 'unsubscribeUrl' | 'senderName'>;

const withScore = (url: string, score: number) => `${url}${url.includes('?') ? '&' : '?'}score=${score}`;

const FONT = 'font-family:system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif';
const TEXT = '#1a1a1a';
const MUTED = '#4a4f55';
const BLUE = '#0b57d0';
/**
 * Clients that honour prefers-color-scheme (Apple Mail, Outlook apps) get a designed dark theme; the others keep
 * the inline light colours, which survive Gmail's and Outlook's automatic inversion (no pure black on white).
 */
const DARK_CSS =
  ':root{color-scheme:light dark;supported-color-schemes:light dark}@media (prefers-color-scheme:dark){.bg{background:#121316!important}.card{background:#1f2125!important}.fg{color:#e8eaed!important}.muted{color:#c4c7cc!important}.lnk{color:#a8c7fa!important}.btn{background:#a8c7fa!important}.btn a{color:#0b1d3a!important}.score{color:#a8c7fa!important;border-color:#a8c7fa!important}.sep{border-color:#3c4043!important}}@media (max-width:480px){.outer{padding:12px 6px!important}.pad{padding-left:14px!important;padding-right:14px!important}.cell{padding:1px!important}}';
/** Fills the inbox preview after the preheader, so the client does not pull in the body text. */
const PREVIEW_FILLER = '&#847;&zwnj;&nbsp;'.repeat(40);

/**
 * The invitation email: localized, everything interpolated escaped, table layout with inline styles (no
 * external assets, no script). An NPS first question becomes 11 score links, so the customer answers from the
 * inbox; otherwise one button. The plain-text part says the same with the link.
 */
export function renderInvitationEmail(input: InvitationEmailInput): {
  subject: string;
  html: string;
  text: string;
} {
  const { survey, locale, reminder } = input;
  const m = messages(locale);
  const inv = m.invitation;
  const surveyUrl = webUrl(input.surveyUrl, 'surveyUrl');
  const unsubscribeUrl = webUrl(input.unsubscribeUrl, 'unsubscribeUrl');
  const title = localized(survey.title, locale);
  const sender = input.senderName ? oneLine(input.senderName, 100) : '';
  const subject = oneLine(
    fill(reminder ? inv.reminderSubject : inv.subject, { survey: oneLine(title, 150) }),
    200,
  );
  const preheader = reminder ? inv.reminderPreheader : inv.preheader;
  const intro = reminder ? inv.reminderIntro : fill(sender ? inv.introNamed : inv.intro, { sender });
  const why = fill(sender ? inv.whyNamed : inv.why, { sender });
  const first = survey.questions[0];
  const nps = first?.type === 'nps' ? first : undefined;

  const ask = nps
    ? html`<p class="fg" style="margin:0 0 8px;font-weight:600;color:${TEXT}">${localized(nps.text, locale)}</p><p class="muted" style="margin:0 0 8px;font-size:14px;color:${MUTED}">${inv.scoreHint}</p><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:fixed"><tr>${Array.from(
        { length: 11 },
        (_, score) =>
          html`<td class="cell" align="center" style="padding:2px"><a class="score" href="${withScore(surveyUrl, score)}"${
            score === 0
              ? html` aria-label="0, ${m.npsLow}"`
              : score === 10
                ? html` aria-label="10, ${m.npsHigh}"`
                : ''
          } style="display:block;padding:10px 0;border:2px solid ${BLUE};border-radius:6px;color:${BLUE};font-size:16px;line-height:20px;font-weight:700;text-decoration:none;text-align:center">${score}</a></td>`,
      )}</tr></table><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td class="muted" style="padding-top:4px;font-size:13px;color:${MUTED}">${m.npsLow}</td><td class="muted" align="right" style="padding-top:4px;font-size:13px;color:${MUTED};text-align:right">${m.npsHigh}</td></tr></table>`
    : emailButton(surveyUrl, inv.action);

  const body = emailDocument({
    locale,
    subject,
    preheader,
    sender,
    title,
    intro,
    main: ask,
    mainText: [
      ...(nps ? [localized(nps.text, locale), `0 = ${m.npsLow}, 10 = ${m.npsHigh}`, ''] : []),
      `${inv.action}: ${surveyUrl}`,
    ],
    link: { hint: inv.linkHint, url: surveyUrl },
    footer: [inv.personal, why],
    unsubscribe: { lead: inv.unsubscribeLead, label: inv.unsubscribe, url: unsubscribeUrl },
  });

  return { subject, ...body };
}

/**
 * The frame of every email a customer gets from Pulso: table layout with inline styles, dark-mode CSS, a hidden
 * preheader, the sender's name, a title, the intro, the main part, the plain link, and the footer with the
 * unsubscribe link; and the same as plain text. Everything interpolated is escaped.
 */
export function emailDocument(input: {
  locale: Locale;
  subject: string;
  preheader: string;
  sender: string;
  title: string;
  intro: string;
  main: SafeHtml;
  /** The main part in the plain-text alternative. */
  mainText: readonly string[];
  link: { hint: string; url: string };
  footer: readonly string[];
  unsubscribe: { lead: string; label: string; url: string };
}): { html: string; text: string } {
  const { sender, title, link, unsubscribe } = input;
  const text = [
    ...(sender ? [sender, ''] : []),
    title,
    '',
    input.intro,
    '',
    ...input.mainText,
    '',
    '--',
    ...input.footer,
    `${unsubscribe.lead} ${unsubscribe.label}: ${unsubscribe.url}`,
  ].join('\n');
  const body = html`<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all">${input.preheader}${raw(PREVIEW_FILLER)}</div><table role="presentation" class="bg" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f6f7f9"><tr><td class="outer" align="center" style="padding:24px 12px"><table role="presentation" class="card" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border-radius:12px"><tr><td class="fg pad" style="padding:28px 24px;${FONT};font-size:16px;line-height:1.5;color:${TEXT}">${
    sender
      ? html`<p class="muted" style="margin:0 0 8px;font-size:14px;font-weight:600;color:${MUTED}">${sender}</p>`
      : ''
  }<h1 class="fg" style="margin:0 0 12px;font-size:22px;line-height:1.3;color:${TEXT}">${title}</h1><p style="margin:0 0 20px">${input.intro}</p>${input.main}<p class="muted" style="margin:20px 0 0;font-size:13px;color:${MUTED}">${link.hint}<br><a class="lnk" href="${link.url}" style="color:${BLUE};word-break:break-all">${link.url}</a></p></td></tr><tr><td class="muted pad sep" style="padding:16px 24px 24px;border-top:1px solid #dadce0;${FONT};font-size:13px;line-height:1.5;color:${MUTED}">${input.footer.map(
    (line) => html`<p style="margin:0 0 8px">${line}</p>`,
  )}<p style="margin:0">${unsubscribe.lead} <a class="lnk" href="${unsubscribe.url}" style="color:${BLUE}">${unsubscribe.label}</a></p></td></tr></table></td></tr></table>`;
  const frame = emailFrame({
    locale: input.locale,
    title: input.subject,
    style: 'designed',
    css: DARK_CSS,
    bodyAttributes: raw(' class="bg" style="margin:0;padding:0;background:#f6f7f9"'),
    body,
  });
  return { html: frame, text };
}

/** A web link as an email's big button. */
export const emailButton = (url: string, label: string): SafeHtml =>
  html`<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td class="btn" style="border-radius:8px;background:${BLUE}"><a href="${url}" style="display:inline-block;padding:14px 28px;border-radius:8px;color:#ffffff;font-size:17px;font-weight:700;text-decoration:none">${label}</a></td></tr></table>`;

/** GSM 03.38: the basic set costs one septet a character, the extension set two. */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('\f^{}\\[~]|€');
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00a0': ' ',
  '«': '"',
  '»': '"',
};

/** Septets the text takes in GSM-7, or undefined when some character needs UCS-2 (70 characters a segment). */
export function gsm7Length(text: string): number | undefined {
  let septets = 0;
  for (const c of text) {
    if (GSM_BASIC.has(c)) septets += 1;
    else if (GSM_EXTENDED.has(c)) septets += 2;
    else return undefined;
  }
  return septets;
}

/**
 * The text in GSM-7 when that only costs accents (á -> a, ç -> c, ã -> a; é, ñ, ü, ¿ and ¡ are GSM already),
 * so one segment holds 160 characters instead of 70. Text that would lose more (emoji, other scripts) is kept.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const c of text) {
    if (GSM_BASIC.has(c) || GSM_EXTENDED.has(c)) out += c;
    else out += LOOK_ALIKES[c] ?? c.normalize('NFD').replace(/\p{M}+/gu, '');
  }
  return gsm7Length(out) === undefined ? text : out;
}

/** Characters that fit one SMS segment, and the bounds of the survey title in it. */
const SEGMENT = 160;
const TITLE_MIN = 30;
const TITLE_MAX = 60;

function clip(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 3)
    .join('')
    .trimEnd()}...`;
}

/**
 * The invitation SMS: the survey title, one line, the link. GSM-7 where the language allows; the title is cut
 * so that the whole message fits one 160-character segment when the link is short enough, and the words
 * around the link always fit one.
 */
export function renderInvitationSms(input: InvitationSmsInput): string {
  const inv = messages(input.locale).invitation;
  const url = webUrl(input.surveyUrl, 'surveyUrl');
  const template = toGsm7(input.reminder ? inv.smsReminder : inv.sms);
  const title = toGsm7(oneLine(localized(input.survey.title, input.locale), 500));
  const fixed = fill(template, { survey: '', url });
  const length = (s: string) => gsm7Length(s) ?? s.length;
  const room = Math.min(TITLE_MAX, Math.max(TITLE_MIN, SEGMENT - length(fixed)));
  let survey = clip(title, room);
  // Extension characters take two septets: cut further until the title fits its room.
  while (length(survey) > room && survey.length > 3) survey = clip(survey, [...survey].length - 1);
  return fill(template, { survey, url });
}
