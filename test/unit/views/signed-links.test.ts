import { describe, expect, it } from 'vitest';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import { renderProblemPage } from '#views/pages.ts';
import { renderSurveyPage } from '#views/survey-page.ts';

const survey = surveySchema.parse(demoSurvey);
const render = (sig?: string) =>
  renderSurveyPage({
    survey,
    locale: 'en',
    action: '/s/demo',
    submissionId: 'sub-000001',
    attributes: { store: 's 001', section: 'bar' },
    sig,
  });

describe('the survey page of a signed link', () => {
  it('sends the sig back as a hidden field', () => {
    expect(render('abcdefghijklmnopqrstuv')).toContain(
      '<input type="hidden" name="sig" value="abcdefghijklmnopqrstuv">',
    );
  });

  it('has no sig field for an unsigned link', () => {
    expect(render()).not.toContain('name="sig"');
  });

  it('keeps the attributes and sig in the language links', () => {
    expect(render('abcdefghijklmnopqrstuv')).toContain(
      'href="?store=s%20001&amp;section=bar&amp;lang=es&amp;sig=abcdefghijklmnopqrstuv"',
    );
  });
});

describe('the refusal pages', () => {
  it.each([
    { locale: 'en' as const, status: 403, title: 'This link was changed or is damaged' },
    { locale: 'es' as const, status: 403, title: 'Este enlace fue modificado o está dañado' },
    { locale: 'pt' as const, status: 403, title: 'Este link foi alterado ou está danificado' },
    { locale: 'en' as const, status: 429, title: 'Too many answers' },
    { locale: 'es' as const, status: 429, title: 'Demasiadas respuestas' },
    { locale: 'pt' as const, status: 429, title: 'Respostas demais' },
  ])('says "$title" for $status in $locale', ({ locale, status, title }) => {
    const page = renderProblemPage({ locale, status });
    expect(page).toContain(`<h1>${title}</h1>`);
    expect(page).toContain(`<html lang="${locale}">`);
  });
});
