import { SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { composeInvitation, sesTag } from '#adapters/ses-raw-mailer.ts';
import { SnsSmsSender } from '#adapters/sns-sms.ts';
import type { InvitationMail } from '#invitations/ports.ts';

const mail = (over: Partial<InvitationMail> = {}): InvitationMail => ({
  to: 'ana@example.com',
  subject: 'Su opinión nos importa: ¿Cómo lo hicimos?',
  text: 'Hola, Ñandú\nhttps://survey.example.com/s/demo?t=abc',
  html: '<p>Hola, Ñandú</p>',
  unsubscribeUrl: `https://survey.example.com/u/${'x'.repeat(150)}`,
  tags: { campaign: 'c1', invitation: 'c1.abc' },
  ...over,
});

/** Unfolded headers of the top-level part. */
function headers(raw: Buffer): Map<string, string> {
  const head = raw.toString('utf8').split('\r\n\r\n')[0] ?? '';
  const map = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    map.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return map;
}

describe('composeInvitation', () => {
  it('adds one-click unsubscribe headers with the whole URL on one line', async () => {
    const raw = await composeInvitation('no-reply@example.com', mail());
    const h = headers(raw);
    expect(h.get('list-unsubscribe')).toBe(`<${mail().unsubscribeUrl}>`);
    expect(h.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(raw.toString()).toContain(`List-Unsubscribe: <${mail().unsubscribeUrl}>\r\n`);
  });

  it('sends text and HTML as UTF-8 alternatives with an encoded subject', async () => {
    const raw = (await composeInvitation('"Acme" <no-reply@example.com>', mail())).toString();
    const h = headers(Buffer.from(raw));
    expect(h.get('content-type')).toMatch(/^multipart\/alternative;/);
    expect(h.get('to')).toBe('ana@example.com');
    expect(h.get('subject')).toMatch(/^=\?UTF-8\?Q\?Su_opini=C3=B3n/);
    expect(raw).toMatch(
      /Content-Type: text\/plain; charset=utf-8[\s\S]*Content-Type: text\/html; charset=utf-8/,
    );
  });

  it('lets no header be injected through the unsubscribe URL', async () => {
    const unsubscribeUrl = 'https://survey.example.com/u/a\r\nBcc: evil@example.com';
    const raw = (await composeInvitation('no-reply@example.com', mail({ unsubscribeUrl }))).toString();
    expect(raw).not.toMatch(/^Bcc:/im);
    expect(raw).toContain('List-Unsubscribe: <https://survey.example.com/u/aBcc:%20evil@example.com>\r\n');
  });

  it.each(['javascript:alert(1)', 'mailto:a@example.com', 'not a url'])(
    'refuses %j as the unsubscribe URL',
    async (unsubscribeUrl) => {
      await expect(composeInvitation('no-reply@example.com', mail({ unsubscribeUrl }))).rejects.toThrow(
        TypeError,
      );
    },
  );

  it('keeps a subject on one line when it has a line break', async () => {
    const raw = await composeInvitation(
      'no-reply@example.com',
      mail({ subject: 'Hi\r\nBcc: evil@example.com' }),
    );
    expect(raw.toString()).not.toMatch(/^Bcc:/im);
  });
});

describe('sesTag', () => {
  it.each([
    { value: 'c1', expected: 'c1' },
    { value: 'spring-2026_a', expected: 'spring-2026_a' },
    { value: 'c1.AbC-_9', expected: 'c1_AbC-_9' },
    { value: 'ana@example.com', expected: 'ana_example_com' },
    { value: 'ñ: x', expected: '___x' },
    { value: '', expected: '_' },
    { value: 'a'.repeat(300), expected: 'a'.repeat(256) },
  ])('makes $value a valid SES tag', ({ value, expected }) => {
    expect(sesTag(value)).toBe(expected);
  });
});

describe('SnsSmsSender', () => {
  it.each(['', 'TooLongSender1', 'has space', '12345'])('refuses the sender id %j', (id) => {
    expect(() => new SnsSmsSender(new SNSClient({}), id)).toThrow(TypeError);
  });
});
