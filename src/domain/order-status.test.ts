import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAMILY_STATUSES, FINAL_STATUSES, OrderStatusCode, isFinal, wireStatus, type OrderStatus } from './order-status.ts';

const anyStatus = fc.constantFrom<OrderStatus>('0015', ...FINAL_STATUSES);

describe('status sets', () => {
  it('a family merchant is never told a status outside 0000, 0001, 0015 and 00029', () => {
    fc.assert(fc.property(anyStatus, (status) => (FAMILY_STATUSES as readonly string[]).includes(wireStatus(status, 'family'))));
  });

  it('an extended merchant is told the exact state', () => {
    fc.assert(fc.property(anyStatus, (status) => wireStatus(status, 'extended') === status));
  });

  it('in either set a final order is told final and an open one open', () => {
    fc.assert(
      fc.property(anyStatus, fc.constantFrom('family' as const, 'extended' as const), (status, set) => isFinal(wireStatus(status, set)) === isFinal(status)),
    );
  });

  it('expired and closed are 00029 to a family merchant, paid and open unchanged', () => {
    expect(wireStatus(OrderStatusCode.Expired, 'family')).toBe('00029');
    expect(wireStatus(OrderStatusCode.Closed, 'family')).toBe('00029');
    expect(wireStatus(OrderStatusCode.Paid, 'family')).toBe('0000');
    expect(wireStatus(OrderStatusCode.Open, 'family')).toBe('0015');
  });
});
