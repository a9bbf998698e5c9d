import { describe, expect, it } from 'vitest';
import { demoSurvey, surveySchema } from '#kernel/survey.ts';
import type { Case } from '#loop/rules/case.ts';
import { notRecoveredEmailOf } from '#views/recovery-email.ts';

const survey = surveySchema.parse({
  ...demoSurvey,
  title: { en: 'Visit <b>', es: 'Visita <b>', pt: 'Visita' },
});
const aCase = (locale?: 'es' | 'pt') =>
  ({
    caseId: 'abc123',
    surveyId: 'demo',
    owner: { segment: '*', email: 'ana@example.com', ...(locale ? { locale } : {}) },
    resolutionNote: 'Refunded <script>alert(1)</script>',
    recovery: { status: 'answered', score: 2, recovered: false },
  }) as unknown as Case;

describe('the not-recovered email', () => {
  const render = notRecoveredEmailOf('https://pulso.example.com/');

  it("is in the owner's language, with the answer, the resolution and a link to the case", () => {
    const mail = render(aCase('es'), survey);
    expect(mail.subject).toBe('No recuperado: Visita <b>, caso abc123');
    expect(mail.html).toContain('<html lang="es"');
    expect(mail.text).toContain('Su respuesta: 2 / 5');
    expect(mail.text).toContain('https://pulso.example.com/v1/cases/abc123');
  });

  it('keeps the resolution note and the survey title inert', () => {
    const mail = render(aCase(), survey);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('&lt;script&gt;');
  });
});
