import { describe, expect, it } from 'vitest';
import { type AlertEmailInput, renderAlertEmail } from '#views/alert-email.ts';
import { liveMarkup } from './inert.ts';

const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'] as const;
const email = (over: Partial<AlertEmailInput> = {}) =>
  renderAlertEmail({
    locale: 'en',
    surveyTitle: 'How did we do?',
    ruleId: 'nps-detractor',
    severity: 'high',
    answers: [{ question: 'How likely are you to recommend us?', answer: '2' }],
    comment: 'The queue was very long',
    segment: { store: 's-001', region: 'north' },
    caseId: 'case-1',
    caseUrl: 'https://api.example.com/v1/cases/case-1',
    openedAt: '2026-11-20T10:00:00Z',
    ...over,
  });

describe('renderAlertEmail', () => {
  it.each([...XSS])('escapes every customer-provided value in the HTML part when it is %s', (evil) => {
    const { html, text } = email({
      surveyTitle: evil,
      ruleId: evil,
      answers: [{ question: evil, answer: evil }],
      comment: evil,
      segment: { [evil]: evil },
      caseId: evil,
    });
    expect(liveMarkup(html)).toEqual([]);
    expect(html).toContain(evil.includes('<script>') ? '&lt;script&gt;' : '&quot;&gt;&lt;img');
    // The plain-text part is not HTML: it quotes the customer verbatim.
    expect(text).toContain(evil);
  });

  it.each([
    'Visit\r\nBcc: evil@example.com',
    'Visit\nBcc: evil@example.com',
    'Visit\rX',
    'Visit\u0085X',
    'Visit\u2028X',
  ])('keeps the subject on one line when the survey title is %j', (surveyTitle) => {
    const { subject } = email({ surveyTitle });
    expect(subject).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
    expect(subject).toMatch(/^New case: Visit/);
  });

  it('asks to acknowledge the case with a link to it in both parts', () => {
    const { html, text } = email();
    expect(html).toContain('<a href="https://api.example.com/v1/cases/case-1" style="display:inline-block;');
    expect(html).toContain('>Acknowledge the case</a>');
    expect(text).toContain('Acknowledge the case: https://api.example.com/v1/cases/case-1');
  });

  it('makes no link when the case URL is not a web address', () => {
    const { html, text } = email({ caseUrl: 'javascript:alert(1)' });
    expect(html).not.toContain('javascript:');
    expect(text).not.toContain('javascript:');
    expect(html).toContain('case-1');
  });

  it('lists what happened, where, when and what the customer said', () => {
    const { html, text } = email();
    for (const part of [html, text]) {
      expect(part).toContain('nps-detractor');
      expect(part).toContain('store: s-001, region: north');
      expect(part).toContain('20 November 2026');
      expect(part).toContain('How likely are you to recommend us?');
      expect(part).toContain('The queue was very long');
    }
    expect(email({ comment: undefined }).text).not.toContain('What the customer said');
  });

  it.each([
    {
      locale: 'en',
      subject: 'New case: How did we do? (high)',
      action: 'Acknowledge the case',
      date: '20 November 2026',
    },
    {
      locale: 'es',
      subject: 'Nuevo caso: How did we do? (alta)',
      action: 'Confirmar recepción del caso',
      date: '20 de noviembre de 2026',
    },
    {
      locale: 'pt',
      subject: 'Novo caso: How did we do? (alta)',
      action: 'Confirmar recebimento do caso',
      date: '20 de novembro de 2026',
    },
  ] as const)('speaks $locale when the owner reads $locale', ({ locale, subject, action, date }) => {
    const out = email({ locale });
    expect(out.subject).toBe(subject);
    expect(out.html).toContain(`<html lang="${locale}">`);
    expect(out.html).toContain(`>${action}</a>`);
    expect(out.text).toContain(`${action}: https://api.example.com/v1/cases/case-1`);
    expect(out.text).toContain(date);
  });

  it('shows the raw timestamp when it is not a date', () => {
    expect(email({ openedAt: 'yesterday' }).text).toContain('Opened: yesterday');
  });
});
