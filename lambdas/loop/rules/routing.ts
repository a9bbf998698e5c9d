import { localeSchema } from '#kernel/survey.ts';
import * as z from '#kernel/zod.ts';
import { REPORT_FREQUENCIES } from './report-frequencies.ts';

/**
 * The routing table: who owns a bad experience, by segment, in tiers (store manager, then area manager, then
 * regional director). A case goes to the first tier of the first matching route; when an SLA passes with nobody
 * acting, it escalates to the next tier, and again up the tiers.
 */
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

export const tierSchema = z.strictObject({
  /** What the tier is to the team: "Store manager", "Area manager", "Regional director". */
  role: text(100),
  name: z.optional(text(200)),
  email: z.email().check(z.maxLength(254)),
  /** E.164; for SNS subscriptions that text this tier (filter on the `ownerPhone` message attribute). */
  phone: z.optional(
    z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, 'use the international format, e.g. +5511987654321')),
  ),
  /** Language of the emails this tier receives. @default the survey's default locale */
  locale: z.optional(localeSchema),
  /** A report of the route's place by email (figures, trend, open cases): daily, weekly or monthly; none if absent. */
  reports: z.optional(z.enum(REPORT_FREQUENCIES)),
});
export type Tier = z.infer<typeof tierSchema>;

export const routeSchema = z.strictObject({
  /** `key:value` of a segment (`store:s-001`, `region:south`), or `*` for everything else. */
  segment: z
    .string()
    .check(z.regex(/^(\*|[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}:[^\p{Cc}]{1,200})$/u, 'key:value or *')),
  /** First tier first; at most five. */
  tiers: z.array(tierSchema).check(z.minLength(1), z.maxLength(5)),
});
export type Route = z.infer<typeof routeSchema>;

export const routingTableSchema = z.strictObject({
  routes: z.array(routeSchema).check(z.maxLength(5000)),
});
export type RoutingTable = z.infer<typeof routingTableSchema>;

/**
 * The tiers for a case's segment: the first route whose `key:value` the case's attributes match, in table order,
 * else the `*` route; none when nothing matches.
 */
export function tiersFor(table: RoutingTable, attributes: Readonly<Record<string, string>>): readonly Tier[] {
  for (const route of table.routes) {
    const colon = route.segment.indexOf(':');
    if (colon > 0 && attributes[route.segment.slice(0, colon)] === route.segment.slice(colon + 1))
      return route.tiers;
  }
  return table.routes.find((r) => r.segment === '*')?.tiers ?? [];
}
