import { describe, expect, it } from 'vitest';
import { OrderStatus, wireStatus } from '../../src/domain/order-status.ts';
import type { Heard } from '../../bench/chaos/merchant-endpoint.ts';
import { findUndelivered, type Expected } from '../../bench/chaos/undelivered.ts';

/** How the chaos run decides whether a merchant was told what it should have been told. */
const expired: Expected = {
  key: 'PAYMENT:o1',
  merchantNo: 'M1',
  status: wireStatus(OrderStatus.Expired, 'family'),
  notifyId: 'n1',
  stored: '00030 EXPIRED (family)',
};
const heard = (entries: Record<string, Heard>) => new Map(Object.entries(entries));

describe('findUndelivered', () => {
  it('counts nothing when the merchant acknowledged the wire status of its status set with the notifyId', () => {
    expect(expired.status).toBe(OrderStatus.Failed);
    expect(findUndelivered([expired], heard({ 'PAYMENT:o1': { acknowledged: [{ status: OrderStatus.Failed, notifyId: 'n1' }], refused: ['busy'] } }))).toEqual([]);
  });

  it('counts a family merchant told the stored status, as the run did before the fix', () => {
    const [miss] = findUndelivered([expired], heard({ 'PAYMENT:o1': { acknowledged: [{ status: OrderStatus.Expired, notifyId: 'n1' }], refused: [] } }));
    expect(miss).toMatchObject({ key: 'PAYMENT:o1', merchantNo: 'M1', stored: '00030 EXPIRED (family)' });
    expect(miss!.reason).toBe('told 00030 (notifyId n1); should be 00029 (notifyId n1)');
  });

  it('counts a notification with another notifyId', () => {
    const misses = findUndelivered([expired], heard({ 'PAYMENT:o1': { acknowledged: [{ status: OrderStatus.Failed, notifyId: 'n2' }], refused: [] } }));
    expect(misses.map((miss) => miss.reason)).toEqual(['told 00029 (notifyId n2); should be 00029 (notifyId n1)']);
  });

  it('says why the merchant refused every delivery, and when nothing arrived at all', () => {
    const misses = findUndelivered(
      [expired, { ...expired, key: 'REFUND:o1:r1', status: '0000', notifyId: 'n3', stored: 'refund 0000 SUCCESS' }],
      heard({ 'PAYMENT:o1': { acknowledged: [], refused: ['the sign did not verify with the merchant secret', 'the sign did not verify with the merchant secret'] } }),
    );
    expect(misses.map((miss) => miss.reason)).toEqual([
      'never acknowledged; the merchant refused 2 deliveries: the sign did not verify with the merchant secret; should be 00029 (notifyId n1)',
      'never arrived; should be 0000 (notifyId n3)',
    ]);
  });

  it('counts an event that never ended or never queued a notification', () => {
    const misses = findUndelivered([{ ...expired, status: undefined }, { ...expired, key: 'PAYOUT:p1', notifyId: undefined }], heard({}));
    expect(misses.map((miss) => miss.reason)).toEqual(['never reached a final status', 'no notification was queued']);
  });
});
