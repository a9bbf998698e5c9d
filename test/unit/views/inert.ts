/**
 * Tags that would run or load something: any <script> or <img>, and any event-handler attribute. Quoted
 * attribute values are blanked first, so escaped customer text inside them cannot look like markup.
 */
export function liveMarkup(page: string): string[] {
  const unquoted = page.replace(/"[^"]*"/g, '""');
  const tags = unquoted.match(/<[a-z][^>]*>/gi) ?? [];
  return tags.filter(
    (tag) => /^<(script|img|iframe|object|embed)\b/i.test(tag) || /\son[a-z]+\s*=/i.test(tag),
  );
}
