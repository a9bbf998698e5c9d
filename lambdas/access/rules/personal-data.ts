import { ValidationError } from '#kernel/errors.ts';
import * as z from '#kernel/zod.ts';

/**
 * A customer's right to know what Pulso holds about them (issue 12, point 5): they are found by their contact id,
 * their email or their phone, one of the three.
 */
export const personalDataQuery = z.object({
  contactId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  email: z.optional(z.email().check(z.maxLength(254))),
  phone: z.optional(z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, 'E.164, e.g. +5511987654321'))),
});
export type PersonalDataQuery = z.infer<typeof personalDataQuery>;

export type PersonFinder =
  | { readonly by: 'contactId'; readonly value: string }
  | { readonly by: 'email'; readonly value: string }
  | { readonly by: 'phone'; readonly value: string };

/** Exactly one of contactId, email and phone; emails compare in lower case. */
export function finderOf(query: PersonalDataQuery): PersonFinder {
  const given = (['contactId', 'email', 'phone'] as const).filter((k) => query[k] !== undefined);
  if (given.length !== 1)
    throw new ValidationError('Give one of contactId, email or phone.', [
      {
        field: given.length === 0 ? 'contactId' : (given[1] ?? 'phone'),
        code: 'one_of',
        message: 'exactly one',
      },
    ]);
  const by = given[0] ?? 'contactId';
  const value = query[by] ?? '';
  return { by, value: by === 'email' ? value.toLowerCase() : value } as PersonFinder;
}
