import { describe, expect, it } from 'vitest';
import { LOCALES } from '#kernel/survey.ts';
import {
  renderFollowUpEmail,
  renderFollowUpPage,
  renderFollowUpSms,
  renderFollowUpThanks,
} from '#views/follow-up.ts';
import { gsm7Length } from '#views/invitation-email.ts';

const followUpUrl = 'https://pulso.example.com/c/abc123/follow-up?t=tok.sig&lang=es';
const unsubscribeUrl = 'https://pulso.example.com/s/demo/unsubscribe?t=inv.sig&lang=es';

describe('the follow-up email', () => {
  it.each(LOCALES)('asks its one question in %s with the link and one-click unsubscribe', (locale) => {
    const mail = renderFollowUpEmail({ locale, followUpUrl, unsubscribeUrl, senderName: 'Acme' });
    expect(mail.html).toContain(`<html lang="${locale}"`);
    expect(mail.html).toContain(`href="${followUpUrl.replaceAll('&', '&amp;')}"`);
    expect(mail.html).toContain(`href="${unsubscribeUrl.replaceAll('&', '&amp;')}"`);
    expect(mail.text).toContain(followUpUrl);
    expect(mail.text).toContain(unsubscribeUrl);
    expect(mail.text).toContain('Acme');
  });

  it('keeps a sender name inert and on one line', () => {
    const mail = renderFollowUpEmail({
      locale: 'en',
      followUpUrl,
      unsubscribeUrl,
      senderName: '<img src=x onerror=alert(1)>\r\nBcc: x@example.com',
    });
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('refuses a link that is not a web link', () => {
    expect(() =>
      renderFollowUpEmail({ locale: 'en', followUpUrl: 'javascript:alert(1)', unsubscribeUrl }),
    ).toThrow('followUpUrl');
  });
});

describe('the follow-up SMS', () => {
  it.each(LOCALES)('fits one GSM-7 segment in %s with a named sender', (locale) => {
    const text = renderFollowUpSms({ locale, followUpUrl, senderName: 'Acme Stores' });
    expect(text).toContain(followUpUrl);
    expect(gsm7Length(text)).toBeLessThanOrEqual(160);
  });
});

describe('the follow-up page', () => {
  it('is the question as 5 faces with words for screen readers, the token kept in the form', () => {
    const page = renderFollowUpPage({
      locale: 'pt',
      action: '/c/abc/follow-up?t=x',
      token: 'x',
      caseId: 'abc',
    });
    expect(page).toContain('<html lang="pt"');
    expect(page.match(/name="recovery"/g)).toHaveLength(5);
    expect(page).toContain('Muito satisfeito');
    expect(page).toContain('<input type="hidden" name="t" value="x">');
  });

  it('shows the error next to the question and keeps the answer', () => {
    const page = renderFollowUpPage({
      locale: 'es',
      action: '/c/abc/follow-up?t=x',
      token: 'x',
      caseId: 'abc',
      error: 'out_of_range',
      value: '3',
    });
    expect(page).toContain('class="err"');
    expect(page).toMatch(/name="recovery" value="3"[^>]*checked/);
  });

  it('thanks a recovered customer and one who is not in different words', () => {
    expect(renderFollowUpThanks({ locale: 'en', recovered: true })).toContain('glad');
    expect(renderFollowUpThanks({ locale: 'en', recovered: false })).toContain('team that handled');
  });
});
