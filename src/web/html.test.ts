import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attr, escapeHtml, html, httpUrl, unsafeRaw } from './html.ts';

describe('html', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const evil = `<img src=x onerror="alert(1)">'&`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;</p>',
    );
  });

  it('does not escape nested html twice', () => {
    const inner = html`<b>${'a<b'}</b>`;
    expect(html`<p>${inner}</p>`.value).toBe('<p><b>a&lt;b</b></p>');
  });

  it('renders arrays item by item, and nothing for null, undefined and booleans', () => {
    expect(html`${['<', html`<i></i>`, 1]}|${null}|${undefined}|${false}|${true}|${0}`.value).toBe('&lt;<i></i>1|||||0');
  });

  it('cannot be fooled by an object that looks like SafeHtml', () => {
    const forged = { value: '<script>' } as unknown as string;
    expect(html`${forged}`.value).toBe('[object Object]');
  });

  it('only takes raw markup when asked', () => {
    expect(html`${unsafeRaw('<hr>')}`.value).toBe('<hr>');
    expect(escapeHtml('"')).toBe('&quot;');
  });

  it('writes optional attributes only when they have a value', () => {
    expect(html`<a${attr('nonce', undefined)}${attr('nonce', 'x"y')}>`.value).toBe('<a nonce="x&quot;y">');
  });
});

describe('escapeHtml', () => {
  const reference = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

  it('escapes exactly the five characters, whatever the text (with or without any of them)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('a', '&', '<', '>', '"', "'", 'é', ' ') }), fc.string({ unit: 'binary' })), (text) => {
        expect(escapeHtml(text)).toBe(reference(text));
        expect(html`${text}`.value).toBe(reference(text));
      }),
    );
  });
});

describe('httpUrl', () => {
  it('accepts absolute http and https URLs and encodes quotes', () => {
    expect(httpUrl('https://shop.example/return?a=1&b=2')).toBe('https://shop.example/return?a=1&b=2');
    expect(httpUrl("https://shop.example/it's")).toBe('https://shop.example/it%27s');
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', '//evil.example', '/relative', 'not a url', ' JAVASCRIPT:alert(1)'])(
    'refuses %j',
    (value) => {
      expect(httpUrl(value)).toBeUndefined();
    },
  );
});
