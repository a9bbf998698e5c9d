// The part of mailparser (installed with aws-ses-v2-local) that the SES front reads; the package has no types.
declare module 'mailparser' {
  export interface EmailAddress {
    readonly address?: string;
    readonly name: string;
    readonly group?: readonly EmailAddress[];
  }
  export interface AddressObject {
    readonly value: readonly EmailAddress[];
    readonly text: string;
  }
  export interface ParsedMail {
    readonly headerLines: readonly { readonly key: string; readonly line: string }[];
    readonly subject?: string;
    readonly from?: AddressObject;
    readonly to?: AddressObject | readonly AddressObject[];
    readonly cc?: AddressObject | readonly AddressObject[];
    readonly bcc?: AddressObject | readonly AddressObject[];
    readonly replyTo?: AddressObject;
    readonly messageId?: string;
  }
  export function simpleParser(
    source: Buffer | string,
    options?: {
      skipHtmlToText?: boolean;
      skipTextToHtml?: boolean;
      skipImageLinks?: boolean;
      skipTextLinks?: boolean;
    },
  ): Promise<ParsedMail>;
}
