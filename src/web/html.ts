/**
 * A tiny `html` tagged template that escapes every interpolated value unless it is already
 * `SafeHtml` (the result of another `html` call, or of `unsafeRaw`). Templates quote every
 * attribute, so escaping `& < > " '` is enough for text and attribute values alike; URLs are
 * built with `encodeURIComponent` or checked by `httpUrl` before they reach an `href`.
 */

const SAFE = Symbol('SafeHtml');

export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
}

/** What may appear inside `${}`: falsy values render nothing, arrays render each item. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const SPECIAL = /[&<>"']/;

/** Most values (ids, amounts, names) hold nothing to escape: those are answered as they are. */
export const escapeHtml = (text: string): string => (SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c) : text);

const isSafe = (value: unknown): value is SafeHtml =>
  typeof value === 'object' && value !== null && (value as Partial<SafeHtml>)[SAFE] === true;

const safe = (value: string): SafeHtml => ({ [SAFE]: true, value });

function render(value: HtmlValue): string {
  if (typeof value === 'string') return escapeHtml(value);
  if (value === null || value === undefined || value === false || value === true) return '';
  if (isSafe(value)) return value.value;
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value) out += render(item);
    return out;
  }
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return safe(out);
}

/** Marks trusted markup as safe. Only for constants of our own, never for anything a user sent. */
export const unsafeRaw = (markup: string): SafeHtml => safe(markup);

/** Optional `name="value"` attribute: present (escaped) when `value` is a string or number, absent otherwise. */
export const attr = (name: string, value: string | number | undefined | null | false): SafeHtml =>
  value === undefined || value === null || value === false ? safe('') : html` ${unsafeRaw(name)}="${value}"`;

/**
 * `value` as an absolute http(s) URL, normalised by WHATWG URL parsing, or `undefined`. Quotes are
 * percent-encoded too, so the result is safe inside a `<meta http-equiv="refresh">` content.
 */
export function httpUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.href.replace(/'/g, '%27').replace(/"/g, '%22');
}
