import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { CampaignMailer, InvitationMail } from '#invitations/ports.ts';
import type { Mail, Mailer } from '#kernel/ports.ts';

/** SES tag names and values: ASCII letters, digits, `_` and `-` only, at most 256 (SES refuses the rest). */
export function sesTag(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';
}

/** What every mail Pulso composes has: its sender, one recipient, the subject, and text and HTML, UTF-8. */
const mimeOf = (from: string, mail: Pick<Mail, 'to' | 'subject' | 'text' | 'html'>) => ({
  from,
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  textEncoding: 'quoted-printable' as const,
});

/**
 * The MIME of an invitation: multipart/alternative (text, then HTML), UTF-8, with one-click unsubscribe
 * headers (RFC 2369, RFC 8058), which Gmail and Yahoo require of bulk senders.
 */
export async function composeInvitation(from: string, mail: InvitationMail): Promise<Buffer> {
  // A prepared header goes out verbatim: only a parsed web URL (no CR or LF, ASCII) may go in it.
  const unsubscribe = new URL(mail.unsubscribeUrl);
  if (unsubscribe.protocol !== 'https:' && unsubscribe.protocol !== 'http:')
    throw new TypeError('unsubscribeUrl is not an http(s) URL');
  const composer = new MailComposer({
    ...mimeOf(from, mail),
    headers: {
      // `prepared` keeps the URL on one line as it is: folding inside <...> breaks some one-click clients.
      'List-Unsubscribe': { prepared: true, value: `<${unsubscribe.href}>` },
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });
  return composer.compile().build();
}

/** Invitation emails through SES SendRawEmail, so the unsubscribe headers go along. */
export class SesRawMailer implements CampaignMailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(mail: InvitationMail): Promise<{ messageId: string }> {
    const raw = await composeInvitation(this.from, mail);
    const out = await this.client.send(
      new SendRawEmailCommand({
        Source: this.from,
        Destinations: [mail.to],
        RawMessage: { Data: raw },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        Tags: Object.entries(mail.tags).map(([name, value]) => ({
          Name: sesTag(name),
          Value: sesTag(value),
        })),
      }),
    );
    if (!out.MessageId) throw new Error('SES answered without a MessageId');
    return { messageId: out.MessageId };
  }
}

/**
 * The MIME of a mail with inline images: multipart/alternative (text, then HTML), the HTML and its images in
 * multipart/related, each image an inline part whose Content-ID the HTML names (`cid:`).
 */
export async function composeWithImages(from: string, mail: Mail): Promise<Buffer> {
  const composer = new MailComposer({
    ...mimeOf(from, mail),
    attachments: (mail.images ?? []).map((image, i) => ({
      cid: image.cid,
      filename: `chart-${i + 1}.png`,
      content: Buffer.from(image.png),
      contentType: 'image/png',
      contentDisposition: 'inline' as const,
    })),
  });
  return composer.compile().build();
}

/**
 * Owners' emails with charts (scheduled reports) through SES SendRawEmail. Kept apart from SesMailer, which every
 * handler's adapters import: the MIME composer is 130 KB of bundle only the reporter needs.
 */
export class SesImageMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
  ) {}

  async send(mail: Mail): Promise<void> {
    const raw = await composeWithImages(this.from, mail);
    await this.client.send(
      new SendRawEmailCommand({ Source: this.from, Destinations: [mail.to], RawMessage: { Data: raw } }),
    );
  }
}
