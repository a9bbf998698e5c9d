import type { CommentAnalysis, CommentToAnalyze } from '#kernel/analysis.ts';
import type { Locale } from '#kernel/survey.ts';
import type { SurveyPreview } from './rules/previews.ts';
import type { HitOutcome, RateAdmission } from './rules/rate-limit.ts';
import type { ResponseRecord } from './rules/response.ts';
import type { WebhookSource } from './rules/webhook.ts';

export type PutResponseResult =
  | { readonly created: true }
  | { readonly created: false; readonly existing: ResponseRecord };

/** What adding answers to a submission did: see ResponseStore.addAnswers. */
export type AddAnswersResult =
  | { readonly status: 'added'; readonly added: readonly string[]; readonly response: ResponseRecord }
  | { readonly status: 'duplicate'; readonly response: ResponseRecord }
  | { readonly status: 'conflict'; readonly questions: readonly string[]; readonly response: ResponseRecord };

export interface ResponseStore {
  /** Stores the response unless its submission id is taken; then answers with the stored one. Atomic. */
  putIfAbsent(response: ResponseRecord, retentionDays: number): Promise<PutResponseResult>;
  /**
   * Adds answers to a submission that arrives one question at a time (the submission is made by its first
   * answers, with their attributes and time). Each question is stored once: a question answered already with the
   * same answer is a repeat, with another answer a conflict (then nothing is written). Every write that adds
   * answers names them (`added`), so the stream's readers count each question once, when it arrives.
   */
  addAnswers(part: ResponseRecord, retentionDays: number): Promise<AddAnswersResult>;
  get(surveyId: string, submissionId: string): Promise<ResponseRecord | undefined>;
}

export interface WebhookSourceStore {
  /** A source with its secrets (more than one while rotating). */
  get(name: string): Promise<WebhookSource | undefined>;
  list(): Promise<WebhookSource[]>;
  /** Makes the source unless one of that name exists; false then. */
  create(source: WebhookSource): Promise<boolean>;
  put(source: WebhookSource): Promise<void>;
  delete(name: string): Promise<boolean>;
}

export interface RateCounterStore {
  /**
   * Counts the submission on its address, and on its device there when it has one, in one conditional write,
   * unless it is counted there already (`repeat`) or either count is at its limit (`limited`, which one said,
   * nothing written).
   */
  hit(admission: RateAdmission, submissionTag: string): Promise<HitOutcome>;
  /** Takes back both counts of this submission, in one write, if it is counted there. */
  release(admission: RateAdmission, submissionTag: string): Promise<void>;
}

/**
 * Invitation links (`?t=`) as the survey page sees them; the invitations capability implements it, so capture does
 * not depend on campaigns.
 */
export interface InvitedAnswers {
  /** A first view is counted as opened; `answered` when the link was used already. */
  open(
    surveyId: string,
    token: string,
  ): Promise<{ readonly status: 'open'; readonly submissionId: string } | { readonly status: 'answered' }>;
  /** Records the invited answer once; `answered` when the link was used for other answers. */
  answer(input: {
    readonly surveyId: string;
    readonly token: string;
    readonly answers: Readonly<Record<string, string>>;
    readonly locale: Locale;
  }): Promise<{ readonly status: 'recorded' | 'answered' }>;
}

/** Drafts of surveys shown as their page by the editor; each goes by itself an hour after it was made. */
export interface SurveyPreviewStore {
  put(preview: SurveyPreview): Promise<void>;
  get(previewId: string): Promise<SurveyPreview | undefined>;
}

/**
 * Reads comments as they come in (docs/insight.md): the built-in analyzer (the default) or Amazon Comprehend. One
 * reading per comment, in order; a batch is read by language in as few calls as the reader allows.
 */
export interface CommentAnalyzer {
  analyze(comments: readonly CommentToAnalyze[]): Promise<CommentAnalysis[]>;
}
