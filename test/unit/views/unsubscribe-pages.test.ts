import { describe, expect, it } from 'vitest';
import { renderUnsubscribe, renderUnsubscribed } from '#views/pages.ts';
import { liveMarkup } from './inert.ts';

const ACTION = 'https://survey.example.com/u/abc.def';

describe('renderUnsubscribe', () => {
  it.each([
    { locale: 'en', title: 'Unsubscribe from survey invitations', button: 'Unsubscribe' },
    {
      locale: 'es',
      title: 'Cancelar la suscripción a las invitaciones a encuestas',
      button: 'Cancelar la suscripción',
    },
    {
      locale: 'pt',
      title: 'Cancelar o recebimento de convites para pesquisas',
      button: 'Cancelar inscrição',
    },
  ] as const)('asks in $locale before unsubscribing', ({ locale, title, button }) => {
    const page = renderUnsubscribe({ locale, action: ACTION });
    expect(page).toContain(`<html lang="${locale}">`);
    expect(page).toContain(`<title>${title}</title>`);
    expect(page).toContain(`<h1>${title}</h1>`);
    expect(page).toContain(`<button type="submit">${button}</button>`);
  });

  it('unsubscribes only by a POST that carries what a one-click client sends', () => {
    const page = renderUnsubscribe({ locale: 'en', action: ACTION });
    expect(page).toContain(`<form method="post" action="${ACTION}">`);
    expect(page).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    // Nothing on the page would unsubscribe by GET (a link or a GET form).
    expect(page).not.toMatch(/<a\s|method="get"/i);
    expect(page.match(/<form/g)).toHaveLength(1);
  });

  it('escapes the form action', () => {
    const page = renderUnsubscribe({ locale: 'en', action: '"><script>alert(1)</script>' });
    expect(liveMarkup(page)).toEqual([]);
    expect(page).toContain('action="&quot;&gt;&lt;script&gt;');
  });
});

describe('renderUnsubscribed', () => {
  it.each([
    { locale: 'en', title: 'You are unsubscribed' },
    { locale: 'es', title: 'Suscripción cancelada' },
    { locale: 'pt', title: 'Inscrição cancelada' },
  ] as const)('confirms in $locale', ({ locale, title }) => {
    const page = renderUnsubscribed({ locale });
    expect(page).toContain(`<html lang="${locale}">`);
    expect(page).toContain(`<h1>${title}</h1>`);
    expect(page).not.toContain('<form');
  });
});
