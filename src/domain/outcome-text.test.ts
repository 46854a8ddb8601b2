import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_DETAIL_CODE_POINTS, storableText } from './outcome-text.ts';

/** What PostgreSQL refuses in text or jsonb: NUL, and a surrogate without its pair. */
const storable = (text: string) => !text.includes('\u0000') && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

describe('storableText', () => {
  it('cuts by code points, never inside a surrogate pair', () => {
    const cut = storableText(`${'a'.repeat(MAX_DETAIL_CODE_POINTS - 1)}😀😀`, MAX_DETAIL_CODE_POINTS);
    expect(cut).toBe(`${'a'.repeat(MAX_DETAIL_CODE_POINTS - 1)}😀`);
    expect(JSON.parse(JSON.stringify(cut))).toBe(cut);
  });

  it('strips NUL and replaces a lone surrogate', () => {
    expect(storableText('DO_NOT\u0000_HONOR')).toBe('DO_NOT_HONOR');
    expect(storableText('a\ud83db\ude00')).toBe('a\ufffdb\ufffd');
    expect(storableText('ok 😀')).toBe('ok 😀');
  });

  it('any string comes out storable, within the limit, and a storable short one unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.integer({ min: 0, max: 300 }), (text, max) => {
        const out = storableText(text, max);
        expect(storable(out)).toBe(true);
        expect(Array.from(out).length).toBeLessThanOrEqual(max);
        expect(storable(JSON.parse(JSON.stringify(out)))).toBe(true);
        if (storable(text) && Array.from(text).length <= max) expect(out).toBe(text);
      }),
    );
  });
});
