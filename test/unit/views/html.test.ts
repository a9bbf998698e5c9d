import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from '#views/html.ts';
import { liveMarkup } from './inert.ts';

describe('html', () => {
  it('escapes every interpolation when it is plain text', () => {
    const evil = `"><img src=x onerror=alert(1)>'<script>alert(1)</script>&`;
    expect(html`<p title="${evil}">${evil}</p>`.toString()).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&lt;script&gt;alert(1)&lt;/script&gt;&amp;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&lt;script&gt;alert(1)&lt;/script&gt;&amp;</p>',
    );
  });

  it('keeps markup when it is wrapped by raw() or built by html``', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${raw('<br>')}${inner}</p>`.toString()).toBe('<p><br><b>&lt;i&gt;</b></p>');
  });

  it('joins arrays and drops undefined, null and false when they are interpolated', () => {
    expect(html`<ul>${['<a>', html`<li>x</li>`]}${undefined}${null}${false}${0}</ul>`.toString()).toBe(
      '<ul>&lt;a&gt;<li>x</li>0</ul>',
    );
  });

  it('escapes the five characters that matter when escapeHtml is called directly', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('lets the tests see live markup when customer text is not escaped', () => {
    const evil = '"><img src=x onerror=alert(1)>';
    expect(liveMarkup(`<input value="${evil}">`)).not.toEqual([]);
    expect(liveMarkup(html`<input value="${evil}">${evil}`.toString())).toEqual([]);
  });
});
