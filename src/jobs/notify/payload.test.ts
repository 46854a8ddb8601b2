import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildNotification, type NotificationFacts } from './payload.ts';
import { cents } from '../../domain/money.ts';
import { verifyBody } from '../../domain/signature.ts';

const now = new Date(1_724_142_041_682);
const paid: NotificationFacts = {
  notifyType: 'PAYMENT',
  notifyId: 'ntf_0001',
  platFormTradeNo: 'k3j9x0a1b2c3d4e5',
  tradeNo: '00000007',
  status: '0000',
  message: 'SUCCESS',
  amount: cents(30000),
  currency: 'USD',
  remark: '000000',
  successTime: new Date('2024-08-20T08:20:40.123Z'),
};
const md5Suffix = { secret: 's3cr3t', placement: 'suffix', signType: 'MD5' } as const;

describe('a payment notification', () => {
  it('carries the fields of the wire contract as strings, in the order of its table, signed last', () => {
    const body = buildNotification(paid, md5Suffix, now);
    expect(Object.keys(body)).toEqual([
      'notifyType', 'status', 'message', 'platFormTradeNo', 'tradeNo', 'amount', 'currency',
      'remark', 'successTime', 'notifyId', 'timestamp', 'sign',
    ]);
    expect(body).toMatchObject({
      notifyType: 'PAYMENT',
      amount: '300.00',
      successTime: '2024-08-20 08:20:40',
      timestamp: '1724142041682',
    });
  });

  it('is signed with md5(sign string + secret) for a suffix merchant', () => {
    const signString =
      'amount=300.00currency=USDmessage=SUCCESSnotifyId=ntf_0001notifyType=PAYMENTplatFormTradeNo=k3j9x0a1b2c3d4e5' +
      'remark=000000status=0000successTime=2024-08-20 08:20:40timestamp=1724142041682tradeNo=00000007';
    const expected = createHash('md5').update(`${signString}s3cr3t`).digest('hex');
    expect(buildNotification(paid, md5Suffix, now).sign).toBe(expected);
    const prefixed = buildNotification(paid, { ...md5Suffix, placement: 'prefix' }, now);
    expect(prefixed.sign).toBe(createHash('md5').update(`s3cr3t${signString}`).digest('hex'));
  });

  it('says signType HMAC-SHA256 and signs that too, for a merchant who signs with HMAC', () => {
    const body = buildNotification(paid, { ...md5Suffix, signType: 'HMAC-SHA256' }, now);
    expect(body.signType).toBe('HMAC-SHA256');
    expect(verifyBody(body, { secrets: ['s3cr3t'], requireHmac: true })).toBe('HMAC-SHA256');
    const signString =
      'amount=300.00currency=USDmessage=SUCCESSnotifyId=ntf_0001notifyType=PAYMENTplatFormTradeNo=k3j9x0a1b2c3d4e5' +
      'remark=000000signType=HMAC-SHA256status=0000successTime=2024-08-20 08:20:40timestamp=1724142041682tradeNo=00000007';
    expect(body.sign).toBe(createHmac('sha256', 's3cr3t').update(signString).digest('hex'));
  });

  it('leaves out remark and successTime when they are not set (a failed payment)', () => {
    const failed = buildNotification(
      { ...paid, status: '00029', message: 'FAILED: DO_NOT_HONOR', remark: null, successTime: null },
      md5Suffix,
      now,
    );
    expect(failed).not.toHaveProperty('remark');
    expect(failed).not.toHaveProperty('successTime');
    expect(failed).not.toHaveProperty('refundNo');
    expect(buildNotification({ ...paid, remark: '' }, md5Suffix, now)).not.toHaveProperty('remark');
  });

  it('writes amounts with two decimals from cents', () => {
    expect(buildNotification({ ...paid, amount: cents(5) }, md5Suffix, now).amount).toBe('0.05');
    expect(buildNotification({ ...paid, amount: cents(100) }, md5Suffix, now).amount).toBe('1.00');
    expect(buildNotification({ ...paid, amount: cents(99_999_999_999) }, md5Suffix, now).amount).toBe('999999999.99');
  });
});

describe('a refund notification', () => {
  it('carries refundNo and the refund amount', () => {
    const body = buildNotification(
      { ...paid, notifyType: 'REFUND', refundNo: 'R-1', amount: cents(1250), notifyId: 'ntf_0002' },
      md5Suffix,
      now,
    );
    expect(body).toMatchObject({ notifyType: 'REFUND', refundNo: 'R-1', amount: '12.50', notifyId: 'ntf_0002' });
    expect(verifyBody(body, { secrets: ['s3cr3t'], requireHmac: false })).toBe('MD5');
  });
});

describe('a dispute notification', () => {
  const dispute: NotificationFacts = {
    notifyType: 'DISPUTE',
    notifyId: 'ntf_0003',
    disputeNo: 'dp4k2m9x0a1b2c3d',
    platFormTradeNo: 'k3j9x0a1b2c3d4e5',
    tradeNo: '00000007',
    status: '0015',
    message: 'FRAUDULENT',
    amount: cents(30000),
    currency: 'USD',
    evidenceDueBy: new Date('2024-08-27T08:20:40.999Z'),
  };

  it('carries disputeNo, the reason as message and the evidence due date, all signed', () => {
    const body = buildNotification(dispute, md5Suffix, now);
    expect(body).toMatchObject({ notifyType: 'DISPUTE', disputeNo: 'dp4k2m9x0a1b2c3d', message: 'FRAUDULENT', status: '0015', evidenceDueBy: '2024-08-27 08:20:40' });
    expect(body).not.toHaveProperty('successTime');
    expect(verifyBody(body, { secrets: ['s3cr3t'], requireHmac: false })).toBe('MD5');
    expect(() => verifyBody({ ...body, disputeNo: 'dp0000000000000' }, { secrets: ['s3cr3t'], requireHmac: false })).toThrow(/sign does not match/);
  });

  it('leaves evidenceDueBy out when it is not known', () => {
    expect(buildNotification({ ...dispute, evidenceDueBy: null }, md5Suffix, now)).not.toHaveProperty('evidenceDueBy');
  });
});

describe('notification properties', () => {
  const text = fc.string({ minLength: 1, maxLength: 30 }).filter((v) => !/[\u0000-\u001f\u007f-\u009f]/.test(v));
  const facts = fc.record({
    notifyType: fc.constant('PAYMENT' as const),
    notifyId: text,
    platFormTradeNo: fc.stringMatching(/^[0-9a-z]{16}$/),
    tradeNo: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    status: fc.constantFrom('0000', '00029', '00030', '00031'),
    message: text,
    amount: fc.integer({ min: 1, max: 99_999_999_999 }).map(cents),
    currency: fc.constant('USD'),
    remark: fc.option(text),
    successTime: fc.option(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('2999-01-01') })),
  });
  const signing = fc.record({
    secret: fc.string({ minLength: 1 }),
    placement: fc.constantFrom('suffix' as const, 'prefix' as const),
    signType: fc.constantFrom('MD5' as const, 'HMAC-SHA256' as const),
  });

  it('a merchant verifying with its secret accepts every notification we build', () => {
    fc.assert(
      fc.property(facts, signing, (event, merchant) => {
        const body = buildNotification(event, merchant, now);
        expect(verifyBody(body, { secrets: [merchant.secret], requireHmac: merchant.signType === 'HMAC-SHA256' })).toBe(
          merchant.signType,
        );
        expect(Object.values(body).every((value) => typeof value === 'string')).toBe(true);
      }),
    );
  });
});
