import type { ResponseRecord } from '#capture/rules/response.ts';

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
