import type { Locale } from '#kernel/survey.ts';
import { html } from './html.ts';
import { page } from './layout.ts';

/** The words of the one-click acknowledge link, in the email and on its pages. */
export const ACK_WORDS: Record<
  Locale,
  {
    button: string;
    title: string;
    body: string;
    confirm: string;
    doneTitle: string;
    doneBody: string;
    already: string;
  }
> = {
  en: {
    button: 'Acknowledge: I am on it',
    title: 'Acknowledge this case?',
    body: 'Acknowledging tells the team you are on it, and stops the escalation to the next person.',
    confirm: 'Acknowledge',
    doneTitle: 'Acknowledged',
    doneBody: 'Thank you. The case is yours; resolve it with a note once the customer has been looked after.',
    already: 'This case was already acknowledged or resolved; nothing changed.',
  },
  es: {
    button: 'Reconocer: me ocupo',
    title: '¿Reconocer este caso?',
    body: 'Al reconocerlo, el equipo sabe que usted se ocupa, y se detiene la escalada a la siguiente persona.',
    confirm: 'Reconocer',
    doneTitle: 'Reconocido',
    doneBody: 'Gracias. El caso es suyo; resuélvalo con una nota una vez atendido el cliente.',
    already: 'Este caso ya estaba reconocido o resuelto; no cambió nada.',
  },
  pt: {
    button: 'Reconhecer: estou cuidando',
    title: 'Reconhecer este caso?',
    body: 'Ao reconhecer, a equipe sabe que você está cuidando, e a escalada para a próxima pessoa para.',
    confirm: 'Reconhecer',
    doneTitle: 'Reconhecido',
    doneBody: 'Obrigado. O caso é seu; resolva-o com uma nota depois de atender o cliente.',
    already: 'Este caso já estava reconhecido ou resolvido; nada mudou.',
  },
};

/** GET of the link: a question and one button (mail scanners follow links; only the POST acts). */
export function renderAcknowledgePage(input: { locale: Locale; action: string; caseId: string }): string {
  const w = ACK_WORDS[input.locale];
  return page({
    locale: input.locale,
    title: w.title,
    body: html`<h1>${w.title}</h1><p>${w.body}</p><p>${input.caseId}</p><form method="post" action="${input.action}"><button type="submit">${w.confirm}</button></form>`,
  });
}

export function renderAcknowledged(input: { locale: Locale; changed: boolean }): string {
  const w = ACK_WORDS[input.locale];
  return page({
    locale: input.locale,
    title: w.doneTitle,
    body: html`<h1>${w.doneTitle}</h1><p>${input.changed ? w.doneBody : w.already}</p>`,
  });
}
