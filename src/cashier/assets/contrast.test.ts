import { describe, expect, it } from 'vitest';
import { stylesheet } from './index.ts';

/** `#rgb` or `#rrggbb` as `#rrggbb`. */
const longHex = (hex: string) => (hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex).toLowerCase();

/** WCAG 2.x relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two `#rrggbb` colours, 1 to 21. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const css = stylesheet.body.toString('utf8');

/** The custom properties of the first `:root{…}` block after `from` in the stylesheet. */
function rootVariables(from: number): Map<string, string> {
  const start = css.indexOf(':root{', from);
  const block = css.slice(start, css.indexOf('}', start));
  return new Map([...block.matchAll(/(--[a-z-]+):(#[0-9a-f]{6}|#[0-9a-f]{3})\b/gi)].map((m) => [m[1]!, longHex(m[2]!)]));
}

const light = rootVariables(0);
const dark = new Map([...light, ...rootVariables(css.indexOf('prefers-color-scheme:dark'))]);

/** The colour of the plain `input{…}` rule's border, resolved through `var()` in `scheme`. */
function inputBorder(scheme: Map<string, string>): string {
  const rule = /(?:^|\n|\})input\{([^}]*)\}/.exec(css)?.[1] ?? '';
  const border = /(?:^|;)border:([^;]*)/.exec(rule)?.[1] ?? '';
  const variable = /var\((--[a-z-]+)\)/.exec(border)?.[1];
  const literal = /#[0-9a-f]{6}\b|#[0-9a-f]{3}\b/i.exec(border)?.[0];
  const colour = variable ? scheme.get(variable) : literal && longHex(literal);
  if (!colour) throw new Error(`no border colour found in input rule: ${rule}`);
  return colour;
}

describe('cashier input borders (WCAG 1.4.11, non-text contrast)', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it.each([
    ['light', light],
    ['dark', dark],
  ])('reach 3:1 against the card and the page background in the %s scheme', (_name, scheme) => {
    const border = inputBorder(scheme);
    for (const background of ['--card', '--bg']) {
      expect(scheme.get(background), background).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrast(border, scheme.get(background)!), `${border} on ${background}`).toBeGreaterThanOrEqual(3);
    }
  });
});
