import * as z from '#kernel/zod.ts';

/** `GET /v1/cases` filters and paging. */
export const caseListQuery = z.object({
  surveyId: z.optional(z.string().check(z.maxLength(64))),
  status: z.optional(z.enum(['open', 'acknowledged', 'resolved', 'closed'])),
  /** `true`: only the cases assigned to the caller. */
  mine: z.optional(z.stringbool()),
  /** `true`: only the cases whose deadline (to acknowledge or to resolve) has passed. */
  overdue: z.optional(z.stringbool()),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

export const resolveCaseBody = z.strictObject({
  note: z.string().check(z.maxLength(5000)),
  /** A short category for the action plans: `staffing`, `product-defect`, `billing`... */
  rootCause: z.string().check(z.maxLength(64)),
  customerContacted: z.boolean(),
  /** Ask the customer how it went, after the survey's `recovery.delayHours`; absent: the survey's setting. */
  followUp: z.optional(z.boolean()),
});
export const reopenCaseBody = z.strictObject({ reason: z.string().check(z.maxLength(2000)) });
export const assignCaseBody = z.strictObject({
  assignee: z.string().check(z.minLength(1), z.maxLength(254)),
});
export const commentCaseBody = z.strictObject({ text: z.string().check(z.maxLength(5000)) });
