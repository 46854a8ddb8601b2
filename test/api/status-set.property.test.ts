import fc from 'fast-check';
import { describe, it } from 'vitest';
import { cents } from '../../src/domain/money.ts';
import { FAMILY_STATUSES, FINAL_STATUSES, type OrderStatus } from '../../src/domain/order-status.ts';
import { orderView } from '../../src/api/order-view.ts';
import { paymentFacts } from '../../src/jobs/notify/send-notification.ts';
import { buildNotification } from '../../src/jobs/notify/payload.ts';
import { signedReturnUrl } from '../../src/payments/return-url.ts';
import type { OrderRow } from '../../src/store/orders.ts';
import type { JobRow } from '../../src/store/jobs.ts';

/**
 * Whatever state an order is stored in and whatever it holds, every way a family merchant hears
 * of it (the query answer, the notification body, the return URL) carries one of the family's four
 * statuses.
 */
const family = new Set<string>(FAMILY_STATUSES);
const when = fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true });

const anyOrder: fc.Arbitrary<OrderRow> = fc.record({
  plat_form_trade_no: fc.stringMatching(/^[a-z0-9]{16}$/),
  merchant_no: fc.stringMatching(/^[0-9]{10}$/),
  trade_no: fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/),
  request_hash: fc.constant('h'),
  amount_cents: fc.integer({ min: 1, max: 10_000_000 }).map(cents),
  currency: fc.constant('USD'),
  mobile: fc.constant('15550100'),
  email: fc.constant('buyer@example.com'),
  user_id: fc.constant('u'),
  notify_url: fc.constant('https://merchant.example/notify'),
  return_url: fc.constantFrom('https://merchant.example/return', 'https://merchant.example/back?x=1'),
  remark: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
  status: fc.constantFrom<OrderStatus>('0015', ...FINAL_STATUSES),
  status_desc: fc.constantFrom('CREATED', 'PROCESSING', 'SUCCESS', 'EXPIRED', 'CLOSED', 'FAILED: DO_NOT_HONOR'),
  payment_token: fc.constant(null),
  expires_at: when,
  created_at: when,
  paid_at: fc.option(when, { nil: null }),
  ended_at: fc.option(when, { nil: null }),
  card_brand: fc.option(fc.constantFrom('visa', 'mastercard'), { nil: null }),
  card_last4: fc.option(fc.stringMatching(/^[0-9]{4}$/), { nil: null }),
  settled_at: fc.constant(null),
  paid_locale: fc.constant(null),
  customer_id: fc.option(fc.constant('cus-1'), { nil: null }),
  save_card: fc.constantFrom(null, 'optional' as const, 'required' as const),
  card_token: fc.option(fc.stringMatching(/^ct_[0-9a-z]{24}$/), { nil: null }),
  merchant_initiated: fc.boolean(),
  failed_attempts: fc.integer({ min: 0, max: 5 }),
});

const signing = { secret: 's'.repeat(32), placement: 'suffix' as const, signType: 'MD5' as const };

describe('a family merchant', () => {
  it('never sees a status outside 0000, 0001, 0015 and 00029, in a query, a notification or a return URL', () => {
    fc.assert(
      fc.property(anyOrder, fc.integer({ min: 0, max: 10_000_000 }).map(cents), (order, refunded) => {
        const job = { id: 'n1', order_no: order.plat_form_trade_no, refund_no: null } as unknown as JobRow;
        const notified = buildNotification(paymentFacts(job, order, 'family'), signing, new Date());
        const returned = new URL(signedReturnUrl(order, signing, new Date(), 'family')).searchParams.get('status')!;
        return family.has(orderView(order, refunded, 'family').status) && family.has(notified.status!) && family.has(returned);
      }),
    );
  });
});
