import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthOfOrderNo, newOrderNo } from './ids.ts';

describe('order numbers', () => {
  it('are 16 lowercase base-36 characters that name the UTC month they were made in', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2127-12-31T23:59:59Z'), noInvalidDate: true }), (at) => {
        const orderNo = newOrderNo(at);
        expect(orderNo).toMatch(/^[0-9a-z]{16}$/);
        const [from, to] = monthOfOrderNo(orderNo)!;
        expect(from.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(to.getTime()).toBeGreaterThan(at.getTime());
        expect(from.getUTCDate()).toBe(1);
        expect(to.getUTCMonth()).toBe((from.getUTCMonth() + 1) % 12);
      }),
    );
  });

  it('keep 14 random characters after the month', () => {
    const at = new Date('2026-11-30T03:00:00Z');
    const numbers = new Set(Array.from({ length: 1000 }, () => newOrderNo(at)));
    expect(numbers.size).toBe(1000);
    expect(new Set([...numbers].map((n) => n.slice(0, 2)))).toEqual(new Set([newOrderNo(at).slice(0, 2)]));
  });

  it('name no month when they are not base 36', () => {
    expect(monthOfOrderNo('AB12345678901234')).toBeUndefined();
  });
});
