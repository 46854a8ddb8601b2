import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OrderMove, OrderState, OrderStatus, failedOrder, isFinal, isInState } from './order-status.ts';
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
