import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LosslessNumber } from 'lossless-json';
import { buildSignString, computeSign, hasValidSign, signRequest } from './sign.ts';
import { verifyNotification, verifyReturnUrl } from './verify.ts';
import { PayrailSignatureError } from './errors.ts';
import { verifyBody, type WireBody } from '../domain/signature.ts';
import { signedReturnUrl } from '../payments/return-url.ts';

describe('the SDK signs as the API reference says', () => {
  it('gives the worked example of the reference: sign string a=1b=2, suffix and prefix signs', () => {
    const body = { b: '2', a: '1', sign: 'x', c: '' };
    expect(buildSignString(body)).toBe('a=1b=2');
    expect(computeSign(body, 's3cr3t')).toBe('2b23dcb025e26406f99343498b21fdd6');
    expect(computeSign(body, 's3cr3t', { placement: 'prefix' })).toBe('1c52b3e6c1b41b23c0906bc0a597fc78');
  });

  it('gives the sign of the create-checkout example in docs/api.md', () => {
    const body = {
      tradeNo: '00000007', amount: '300.00', currency: 'USD', mobile: '918234567890', email: 'buyer@example.com', userId: 'Test',
      notifyUrl: 'https://shop.example/payrail/notify', returnUrl: 'https://shop.example/orders/00000007', remark: 'cart 42', timestamp: '1724142041682',
    };
    expect(signRequest(body, 's3cr3t').sign).toBe('7181f49ed09681b09703f7bb65f51964');
    expect(fs.readFileSync('docs/api.md', 'utf8')).toContain('7181f49ed09681b09703f7bb65f51964');
  });

  it('writes numbers as JSON writes them and adds a timestamp and signType', () => {
    const body = signRequest({ n: 1724142041682, f: 1.5, ok: true, gone: undefined, empty: null }, 'k', { signType: 'HMAC-SHA256', now: () => 42 });
    expect(buildSignString(body)).toBe('f=1.5n=1724142041682ok=truesignType=HMAC-SHA256timestamp=42');
    expect(body.sign).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses what the gateway would refuse: objects, control characters', () => {
    expect(() => buildSignString({ a: { b: 1 } as never })).toThrow(/not an object/);
    expect(() => buildSignString({ a: 'x\ny' })).toThrow(/control characters/);
  });

  const scalar = fc.oneof(
    fc.string({ unit: 'grapheme' }).filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s)),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const body = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== 'sign' && k !== 'signType' && k !== '__proto__'), scalar, { maxKeys: 8 });

  it('every body the SDK signs passes the gateway verification, with each placement and sign type', () => {
    fc.assert(
      fc.property(body, fc.constantFrom('suffix', 'prefix'), fc.constantFrom('MD5', 'HMAC-SHA256'), (fields, placement, signType) => {
        const signed = signRequest(fields, 'secret-1', { placement, signType });
        // What the gateway reads from the wire: JSON text parsed with numbers kept as written.
        const wire = JSON.parse(JSON.stringify(signed), (_key, value) => (typeof value === 'number' ? new LosslessNumber(JSON.stringify(value)) : value)) as WireBody;
        expect(verifyBody(wire, { secrets: ['secret-1'], requireHmac: false })).toBe(signType);
      }),
    );
  });

  it('hasValidSign accepts suffix, prefix and HMAC signs by any given secret, and nothing else', () => {
    fc.assert(
      fc.property(body, fc.constantFrom('suffix', 'prefix'), fc.constantFrom('MD5', 'HMAC-SHA256'), (fields, placement, signType) => {
        const signed = signRequest(fields, 'new', { placement, signType });
        expect(hasValidSign(signed, ['old', 'new'])).toBe(true);
        expect(hasValidSign(signed, ['old'])).toBe(false);
        expect(hasValidSign({ ...signed, extra: 'x' }, ['new'])).toBe(false);
      }),
    );
  });
});

describe('verifying what the gateway sends', () => {
  const notification = { notifyType: 'PAYMENT', status: '0000', message: 'SUCCESS', platFormTradeNo: 'p1', tradeNo: 't1', amount: '1.00', currency: 'USD', notifyId: 'n', timestamp: '1' };

  it('answers the notification typed when the old or the new secret signed it', () => {
    const byOld = JSON.stringify(signRequest(notification, 'old'));
    const byNew = JSON.stringify(signRequest(notification, 'new', { placement: 'prefix' }));
    expect(verifyNotification(byOld, ['new', 'old']).tradeNo).toBe('t1');
    expect(verifyNotification(Buffer.from(byNew), ['new', 'old']).status).toBe('0000');
    expect(() => verifyNotification(byOld, ['new'])).toThrow(PayrailSignatureError);
    expect(() => verifyNotification(JSON.stringify({ ...JSON.parse(byOld), amount: '1000.00' }), ['old'])).toThrow(PayrailSignatureError);
    expect(() => verifyNotification('not json', ['old'])).toThrow(PayrailSignatureError);
  });

  it('verifies the return URL the gateway builds, ignoring the merchant’s own parameters', () => {
    const order = { trade_no: 'ORDER-1', plat_form_trade_no: 'abcdefghijklmnop', status: '0000', return_url: 'https://shop.example/back?cart=9' } as never;
    const url = signedReturnUrl(order, { secret: 's', placement: 'prefix', signType: 'MD5' }, new Date(1795629914803), 'family');
    expect(verifyReturnUrl(url, ['s'])).toEqual({ tradeNo: 'ORDER-1', platFormTradeNo: 'abcdefghijklmnop', status: '0000', timestamp: '1795629914803' });
    const hmacUrl = signedReturnUrl(order, { secret: 's', placement: 'suffix', signType: 'HMAC-SHA256' }, new Date(), 'family');
    expect(verifyReturnUrl(hmacUrl, ['t', 's']).tradeNo).toBe('ORDER-1');
    expect(() => verifyReturnUrl(url.replace('status=0000', 'status=00029'), ['s'])).toThrow(PayrailSignatureError);
    expect(() => verifyReturnUrl('https://shop.example/back?cart=9', ['s'])).toThrow(PayrailSignatureError);
  });

  it('matches the return URL example of docs/api.md', () => {
    const sign = computeSign({ tradeNo: 'ORDER-1001', platFormTradeNo: '7zbnhv6xo47lyuo7', status: '0000', timestamp: '1795629914803' }, 'x');
    expect(sign).toMatch(/^[0-9a-f]{32}$/);
    expect(buildSignString({ tradeNo: 'ORDER-1001', platFormTradeNo: '7zbnhv6xo47lyuo7', status: '0000', timestamp: '1795629914803' })).toBe(
      'platFormTradeNo=7zbnhv6xo47lyuo7status=0000timestamp=1795629914803tradeNo=ORDER-1001',
    );
  });
});

describe('the SDK stands alone', () => {
  it('imports nothing but its own files, node: modules and domain/wire-status.ts, which imports nothing', () => {
    const dir = path.dirname(new URL(import.meta.url).pathname);
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const [, target] of source.matchAll(/from '([^']+)';$/gm)) {
        const allowed = target!.startsWith('node:') || /^\.\/[a-z-]+\.ts$/.test(target!) || target === '../domain/wire-status.ts';
        expect(allowed, `${file} imports ${target}`).toBe(true);
      }
    }
    const shipped = fs.readFileSync(path.join(dir, '..', 'domain', 'wire-status.ts'), 'utf8');
    expect(shipped).not.toMatch(/^\s*(import|export .* from)\b/m);
  });
});
