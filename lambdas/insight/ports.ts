import type { ResponseRecord } from '#capture/rules/response.ts';
import type { Locale } from '#kernel/survey.ts';
import type { Accuracy } from './rules/accuracy.ts';
import type { Cell, ExportJob } from './rules/exports.ts';
import type { LearnedModel } from './rules/learned.ts';
import type { ShareLink } from './rules/share-links.ts';

export interface CommentPageRequest {
  readonly surveyId: string;
  /** UTC days, both included. */
  readonly from: string;
  readonly to: string;
  /** A cursor this index gave: the page starts after it. */
  readonly cursor?: string | undefined;
  readonly limit: number;
  /** The tests the index cannot make; a page reads at most `examine` responses to find `limit` that pass. */
  readonly keep: (r: ResponseRecord) => boolean;
  readonly examine: number;
}

/** The responses of a survey that carry a comment, newest first. */
export interface CommentIndex {
  page(request: CommentPageRequest): Promise<{
    readonly items: ResponseRecord[];
    /** Absent when the range holds nothing after the last response read. */
    readonly cursor?: string | undefined;
    /** receivedAt of the last response read. */
    readonly readTo?: string | undefined;
  }>;
}

/** The case each response opened, if it opened one. */
export interface CaseLookup {
  casesOf(
    surveyId: string,
    submissionIds: readonly string[],
  ): Promise<ReadonlyMap<string, { readonly caseId: string; readonly status: string }>>;
}

/** Export jobs: asked for, then finished once. */
export interface ExportStore {
  create(job: ExportJob): Promise<void>;
  get(exportId: string): Promise<ExportJob | undefined>;
  /** A survey's exports, newest first. */
  listOf(surveyId: string, limit: number): Promise<ExportJob[]>;
  /** Ends a running job (a job already ended stays as it is: answers false). */
  finish(
    exportId: string,
    outcome: Pick<ExportJob, 'status' | 'finishedAt' | 'rows' | 'bytes' | 'objectKey' | 'failure'>,
  ): Promise<boolean>;
}

/** Every response of a survey received within a range of days, read page by page, in no particular order. */
export interface ResponseScan {
  pages(surveyId: string, from: string, to: string): AsyncIterable<readonly ResponseRecord[]>;
}

/** Where export files go and how people fetch them. */
export interface ExportFiles {
  /** Writes the rows as a CSV file (a header, then the rows as they come) and answers with its size. */
  writeCsv(
    objectKey: string,
    file: {
      readonly fileName: string;
      readonly header: readonly string[];
      readonly rows: AsyncIterable<Cell[]>;
    },
  ): Promise<{ readonly bytes: number }>;
  /** A link that downloads the file, valid for `seconds`. */
  downloadLink(objectKey: string, fileName: string, seconds: number): Promise<string>;
}

/** Hands an asked-for export to the exporter. */
export interface ExportQueue {
  enqueue(exportId: string): Promise<void>;
}

/** Share links, and the views each has had this minute. */
export interface ShareLinkStore {
  create(link: ShareLink): Promise<void>;
  get(linkId: string): Promise<ShareLink | undefined>;
  /** A survey's links, newest first. */
  listOf(surveyId: string, limit: number): Promise<ShareLink[]>;
  /** Marks the link revoked (once: a revoked link stays as it was revoked). Answers false when there is none. */
  revoke(linkId: string, by: string, at: string): Promise<ShareLink | undefined>;
  /** Counts a view in its minute unless `limit` are counted there already (then false, nothing written). */
  countView(linkId: string, minute: string, limit: number): Promise<boolean>;
}

/** A language's learned sentiment classifier, as trained, with how it did against the baseline on held-back comments. */
export interface TrainedModel {
  readonly language: Locale;
  readonly model: LearnedModel;
  readonly trainedAt: string;
  readonly baseline: Accuracy;
  readonly learned: Accuracy;
  /** Whether comments are read with it: only once it beats the baseline (learned.ts judge). */
  readonly inUse: boolean;
}

/** The deployment's learned classifiers, one per language, each replaced by the next training. */
export interface SentimentModelStore {
  all(): Promise<TrainedModel[]>;
  put(model: TrainedModel): Promise<void>;
}
