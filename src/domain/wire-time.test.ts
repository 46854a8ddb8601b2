import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatWireTime } from './wire-time.ts';

describe('wire times', () => {
  it('are written yyyy-MM-dd HH:mm:ss in UTC, whatever the server time zone', () => {
    expect(formatWireTime(new Date('2024-08-20T08:20:41.682Z'))).toBe('2024-08-20 08:20:41');
    expect(formatWireTime(new Date('2024-08-20T23:59:59.999-05:00'))).toBe('2024-08-21 04:59:59');
  });

  it('refuse an invalid date', () => {
    expect(() => formatWireTime(new Date('nope'))).toThrow(RangeError);
  });

  it('read back to the same second', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('9999-12-31T23:59:59Z') }), (date) => {
        const text = formatWireTime(date);
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
        expect(Date.parse(`${text.replace(' ', 'T')}Z`)).toBe(Math.floor(date.getTime() / 1000) * 1000);
      }),
    );
  });
});
