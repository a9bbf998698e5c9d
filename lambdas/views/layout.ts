import type { Locale } from '#kernel/survey.ts';
import { html, raw, type SafeHtml } from './html.ts';

/** Mobile first, system fonts, no external assets; contrast >= 4.5:1, touch targets >= 44 px, visible focus. */
const CSS = `*{box-sizing:border-box}body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.5rem 0 1rem}nav{font-size:.9rem;margin-bottom:.5rem}nav a{color:#0b57d0;margin-right:.75rem}nav a[aria-current]{color:#1a1a1a;font-weight:600;text-decoration:none}fieldset,.field{border:0;margin:0 0 1rem;padding:1rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 2px #0002}legend,label.q{font-weight:600;padding:0;margin-bottom:.5rem;display:block;float:left;width:100%}.req{font-weight:400;color:#555;font-size:.85rem}.opts{clear:both;display:flex;flex-wrap:wrap;gap:.35rem}.opt{position:relative;flex:1 0 2.75rem}.opt input{position:absolute;opacity:0;width:100%;height:100%;margin:0;cursor:pointer}.opt>span{display:flex;align-items:center;justify-content:center;min-height:2.75rem;padding:.25rem .5rem;border:2px solid #5f6368;border-radius:.5rem;background:#fff;text-align:center}.opt input:checked+span{background:#0b57d0;border-color:#0b57d0;color:#fff}.opt input:focus-visible+span{outline:3px solid #1a1a1a;outline-offset:2px}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(2.75rem,1fr))}.list .opt{flex-basis:100%}.list .opt>span{justify-content:flex-start}.face{width:2rem;height:2rem;fill:none;stroke:currentColor;stroke-width:1.6;stroke-linecap:round}.defs{position:absolute;width:0;height:0}.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#444;margin-top:.35rem}textarea{width:100%;min-height:6rem;font:inherit;padding:.5rem;border:2px solid #5f6368;border-radius:.5rem}textarea:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}.err{color:#b3261e;font-weight:600;margin:.5rem 0 0}[aria-invalid=true]+span,textarea[aria-invalid=true]{border-color:#b3261e}.summary{border:3px solid #b3261e;background:#fff;border-radius:.75rem;padding:.75rem 1rem;margin-bottom:1rem}.summary h2{font-size:1.1rem;margin:0 0 .25rem}.summary a{color:#b3261e}button{width:100%;min-height:3rem;font:inherit;font-weight:600;color:#fff;background:#0b57d0;border:0;border-radius:.75rem;cursor:pointer}button:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}.why .p,.why .a,.why .d{display:none}`;

/** Clients that honour prefers-color-scheme get the designed email's dark theme (see emailDocument). */
const EMAIL_HEAD = raw(
  '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="x-apple-disable-message-reformatting"><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">',
);
const PAGE_HEAD = raw(
  '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">',
);

/** The one HTML document of Pulso, pages and emails alike: doctype, lang, charset, head, title, CSS, body. */
function htmlDocument(input: {
  locale: Locale;
  dir?: 'ltr';
  head?: SafeHtml;
  title: string;
  css?: string;
  bodyAttributes?: SafeHtml;
  body: SafeHtml;
}): string {
  const dir = input.dir ? html` dir="${input.dir}"` : '';
  const css = input.css ? html`<style>${raw(input.css)}</style>` : '';
  return html`<!doctype html><html lang="${input.locale}"${dir}><head><meta charset="utf-8">${input.head ?? ''}<title>${input.title}</title>${css}</head><body${input.bodyAttributes ?? ''}>${input.body}</body></html>`.toString();
}

/** The frame of every page: survey, thank you, errors, unsubscribe, acknowledge and follow-up. */
export function page(input: { locale: Locale; title: string; body: SafeHtml; extraCss?: string }): string {
  return htmlDocument({
    locale: input.locale,
    head: PAGE_HEAD,
    title: input.title,
    css: CSS + (input.extraCss ?? ''),
    body: html`<main>${input.body}</main>`,
  });
}

/**
 * The frame of every HTML email. `designed` is the customer's email (mobile and dark-mode aware, its CSS in
 * `css`); `plain` is the email to the people who act, which their mail client styles.
 */
export function emailFrame(input: {
  locale: Locale;
  title: string;
  style: 'designed' | 'plain';
  css?: string;
  bodyAttributes: SafeHtml;
  body: SafeHtml;
}): string {
  const designed = input.style === 'designed';
  return htmlDocument({
    locale: input.locale,
    ...(designed ? { dir: 'ltr' as const, head: EMAIL_HEAD } : {}),
    title: input.title,
    ...(input.css ? { css: input.css } : {}),
    bodyAttributes: input.bodyAttributes,
    body: input.body,
  });
}
