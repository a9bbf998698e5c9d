import { describe, expect, it } from 'vitest';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { renderAlreadyAnswered, renderProblemPage, renderThankYou } from '#views/pages.ts';

const survey = surveySchema.parse(demoSurvey);

describe('renderThankYou', () => {
  it.each([
    { locale: 'en', thanks: 'Thank you!', title: 'How did we do?' },
    { locale: 'es', thanks: '¡Gracias!', title: '¿Cómo lo hicimos?' },
    { locale: 'pt', thanks: 'Obrigado!', title: 'Como nos saímos?' },
  ] as const)('thanks in $locale when the answers were saved in $locale', ({ locale, thanks, title }) => {
    const page = renderThankYou({ survey, locale });
    expect(page).toContain(`<html lang="${locale}">`);
    expect(page).toContain(`<h1>${thanks}</h1>`);
    expect(page).toContain(title);
  });
});

describe('renderAlreadyAnswered', () => {
  it.each([
    { locale: 'en', title: 'Already answered' },
    { locale: 'es', title: 'Encuesta ya respondida' },
    { locale: 'pt', title: 'Pesquisa já respondida' },
  ] as const)('says "$title" in $locale', ({ locale, title }) => {
    expect(renderAlreadyAnswered({ locale })).toContain(`<h1>${title}</h1>`);
  });
});

describe('renderProblemPage', () => {
  it.each([
    { locale: 'en', status: 400, title: 'Something is not right' },
    { locale: 'en', status: 404, title: 'Survey not found' },
    { locale: 'en', status: 409, title: 'Already answered' },
    { locale: 'en', status: 410, title: 'Link expired' },
    { locale: 'en', status: 413, title: 'Too long' },
    { locale: 'en', status: 429, title: 'Too many answers' },
    { locale: 'es', status: 400, title: 'Algo no está bien' },
    { locale: 'es', status: 404, title: 'Encuesta no encontrada' },
    { locale: 'es', status: 409, title: 'Ya respondida' },
    { locale: 'es', status: 410, title: 'Enlace vencido' },
    { locale: 'es', status: 413, title: 'Demasiado largo' },
    { locale: 'es', status: 429, title: 'Demasiadas respuestas' },
    { locale: 'pt', status: 400, title: 'Algo não está certo' },
    { locale: 'pt', status: 404, title: 'Pesquisa não encontrada' },
    { locale: 'pt', status: 409, title: 'Já respondida' },
    { locale: 'pt', status: 410, title: 'Link expirado' },
    { locale: 'pt', status: 413, title: 'Longo demais' },
    { locale: 'pt', status: 429, title: 'Respostas demais' },
    { locale: 'en', status: 422, title: 'Something is not right' },
    { locale: 'pt', status: 503, title: 'Desculpe, algo deu errado' },
  ] as const)('titles a $status "$title" in $locale', ({ locale, status, title }) => {
    const page = renderProblemPage({ locale, status });
    expect(page).toContain(`<html lang="${locale}">`);
    expect(page).toContain(`<title>${title}</title>`);
    expect(page).toMatch(new RegExp(`<h1>${title}</h1><p>[^<]+</p>`));
  });

  it('keeps developer detail off the page when the handler passes it', () => {
    const page = renderProblemPage({ locale: 'es', status: 404, detail: 'There is no survey "x".' });
    expect(page).toContain('Esta encuesta no existe');
    expect(page).not.toContain('There is no survey');
  });

  it('uses and escapes a given title when one is passed', () => {
    const page = renderProblemPage({ locale: 'en', status: 400, title: '<script>alert(1)</script>' });
    expect(page).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(page).not.toContain('<script>');
  });
});
