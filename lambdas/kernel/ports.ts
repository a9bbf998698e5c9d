import type { Survey } from './survey.ts';

export interface SurveyStore {
  get(surveyId: string): Promise<Survey | undefined>;
  put(survey: Survey): Promise<void>;
  list(): Promise<Survey[]>;
}

export interface AlertMessage {
  readonly subject: string;
  readonly message: string;
  /** SNS message attributes, so subscriptions can filter by survey, severity and segment. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface Notifier {
  publish(alert: AlertMessage): Promise<void>;
}

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /**
   * PNG images the HTML shows inline (`<img src="cid:...">`): charts, which mail clients show where SVG is refused.
   * Only a mailer that composes MIME sends them (SesImageMailer).
   */
  readonly images?: readonly { readonly cid: string; readonly png: Uint8Array }[];
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export interface SigningKeyStore {
  /** The named secret (32 random bytes), created on first use; every caller and container gets the same bytes. */
  get(name: string): Promise<Buffer>;
}

export interface Clock {
  now(): Date;
}
