import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAMILY_STATUSES, FINAL_STATUSES, OrderMove, OrderState, OrderStatus, failedOrder, failureReasonOf, isFinal, isInState, wireStatus } from './order-status.ts';
import { RefundState, failedRefund } from './refund-status.ts';

const migration = readFileSync(new URL('../db/migrations/0010-status-desc.ts', import.meta.url), 'utf8');

describe('the order state machine', () => {
  it('starts every move the store makes from an open order', () => {
    for (const move of Object.values(OrderMove)) expect(move.from.status).toBe(OrderStatus.Open);
  });

  it('ends every move but the start of an attempt in a final status', () => {
    const { startAttempt, endAttempt, ...ending } = OrderMove;
    expect(isFinal(startAttempt.to.status)).toBe(false);
    for (const move of Object.values(ending)) expect(isFinal(move.to.status)).toBe(true);
    expect(endAttempt).not.toHaveProperty('to');
  });

  it('reads an open sub-state only together with the open status', () => {
    expect(isInState({ status: OrderStatus.Open, status_desc: 'CREATED' }, OrderState.Created)).toBe(true);
    expect(isInState({ status: OrderStatus.Open, status_desc: 'PROCESSING' }, OrderState.Created)).toBe(false);
    expect(isInState({ status: OrderStatus.Closed, status_desc: 'CREATED' }, OrderState.Created)).toBe(false);
    expect(isInState({ status: OrderStatus.Open, status_desc: 'PROCESSING' }, OrderMove.pay.from)).toBe(true);
  });

  it('is mirrored, state by state, by the CHECK constraints of migration 0010', () => {
    for (const state of [...Object.values(OrderState), ...Object.values(RefundState)]) {
      expect(migration).toMatch(new RegExp(`WHEN '${state.status}' THEN status_desc (IN \\([^)]*'${state.desc}'|= '${state.desc}')`));
    }
    expect(failedOrder('X').desc).toMatch(/^FAILED: /);
    expect(failedRefund('X').desc).toMatch(/^FAILED: /);
    expect(migration).toContain(`WHEN '${OrderStatus.Failed}' THEN status_desc LIKE 'FAILED: %'`);
  });
});

const anyStatus = fc.constantFrom<OrderStatus>(OrderStatus.Open, ...FINAL_STATUSES);

describe("a failed order's reason", () => {
  it('is what failedOrder was given, for any reason; no other state has one', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (reason) => {
        const failed = failedOrder(reason);
        expect(failureReasonOf({ status: failed.status, status_desc: failed.desc })).toBe(reason);
      }),
    );
    for (const state of Object.values(OrderState)) expect(failureReasonOf({ status: state.status, status_desc: state.desc })).toBeUndefined();
  });
});

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
    expect(wireStatus(OrderStatus.Expired, 'family')).toBe('00029');
    expect(wireStatus(OrderStatus.Closed, 'family')).toBe('00029');
    expect(wireStatus(OrderStatus.Paid, 'family')).toBe('0000');
    expect(wireStatus(OrderStatus.Open, 'family')).toBe('0015');
  });
});
