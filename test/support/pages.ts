import type { client } from './http.ts';

/** A mail as the local SES keeps it (`GET /store` of its mailbox). */
export interface StoredMail {
  readonly messageId: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
  /** Parts of a raw send (mailparser's), their content in base64. */
  readonly attachments?: readonly {
    readonly contentType: string;
    readonly cid?: string;
    readonly contentDisposition?: string;
    readonly content: string;
  }[];
}

/** Every mail in the local SES mailbox. */
export const mailbox = async (mailboxUrl: string): Promise<StoredMail[]> =>
  ((await (await fetch(new URL('store', mailboxUrl))).json()) as { emails: StoredMail[] }).emails;

/** The mails sent to an address (or to any address containing the text). */
export const mailsTo = async (mailboxUrl: string, address: string): Promise<StoredMail[]> =>
  (await mailbox(mailboxUrl)).filter((m) => m.destination.to.some((t) => t.includes(address)));

/** The hidden fields of a page's form, unescaped, as the browser would post them. */
export const hiddenFields = (page: string): Record<string, string> =>
  Object.fromEntries(
    [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      m[1] ?? '',
      (m[2] ?? '').replaceAll('&amp;', '&').replaceAll('&quot;', '"'),
    ]),
  );

/** Posts a form, urlencoded, as a browser does (with the device cookie, if given). */
export const postForm = (
  api: ReturnType<typeof client>,
  path: string,
  fields: Record<string, string>,
  cookie?: string,
) =>
  api.call('POST', path, {
    raw: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
  });
