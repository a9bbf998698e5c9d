/** Small text helpers shared by every email and SMS. */

/** One line: no header injection through a survey title or sender name (CR, LF, NEL, LS, PS, controls). */
export const oneLine = (s: string, max = 200) =>
  s
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, max);

/** The links are ours, but a `javascript:` URL in an email would be a trap: only web links are accepted. */
export function webUrl(url: string, what: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return parsed.href;
  } catch {
    // reported below
  }
  throw new TypeError(`${what} is not an http(s) URL`);
}

/** Fills `{name}` placeholders in one pass, so a value containing `{url}` or `$&` stays as it is. */
export const fill = (template: string, values: Readonly<Record<string, string>>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
