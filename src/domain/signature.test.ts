import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LosslessNumber, parse } from 'lossless-json';
import { buildSignString, checkTimestamp, signBody, verifyBody, type SaltPlacement, type SignType, type WireBody } from './signature.ts';
import { BusinessCode, PayrailError } from './errors.ts';

const body = (json: string) => parse(json) as WireBody;
type SignOptions = { signType: SignType; placement: SaltPlacement };
const md5Suffix: SignOptions = { signType: 'MD5', placement: 'suffix' };
const md5Prefix: SignOptions = { signType: 'MD5', placement: 'prefix' };
const hmac: SignOptions = { signType: 'HMAC-SHA256', placement: 'suffix' };

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof PayrailError) return error.code;
    throw error;
  }
  return undefined;
};

describe('the sign string', () => {
  it('matches the test vector of the wire contract', () => {
    const vector = body('{"b":"2","a":"1","sign":"x","c":""}');
    expect(buildSignString(vector)).toBe('a=1b=2');
    expect(signBody(vector, 's3cr3t', md5Suffix)).toBe('2b23dcb025e26406f99343498b21fdd6');
    expect(signBody(vector, 's3cr3t', md5Prefix)).toBe('1c52b3e6c1b41b23c0906bc0a597fc78');
  });

  it('writes numbers as the merchant wrote them and booleans as true/false', () => {
    expect(buildSignString(body('{"timestamp":1724142041682,"x":1.50,"y":true,"z":false,"n":null}'))).toBe(
      'timestamp=1724142041682x=1.50y=truez=false',
    );
  });

  it('sorts uppercase keys before lowercase ones, like Java String.compareTo', () => {
    expect(buildSignString(body('{"b":"1","B":"2","a":"3","Z":"4"}'))).toBe('B=2Z=4a=3b=1');
  });

  it('signs the seed example the way the seed describes', () => {
    const seed = body(`{"timestamp":"1724142041682","tradeNo":"00000007","amount":"300.00","mobile":"918234567890",
      "email":"123@qq.com","userId":"Test","currency":"USD","notifyUrl":"https://google.com",
      "returnUrl":"http://abc.com/callback_page","remark":"000000"}`);
    expect(buildSignString(seed)).toBe(
      'amount=300.00currency=USDemail=123@qq.commobile=918234567890notifyUrl=https://google.com' +
        'remark=000000returnUrl=http://abc.com/callback_pagetimestamp=1724142041682tradeNo=00000007userId=Test',
    );
  });

  it('refuses objects, arrays and control characters with 8002 naming the field', () => {
    expect(codeOf(() => buildSignString(body('{"a":{"b":"1"}}')))).toBe(BusinessCode.ParameterInvalid);
    expect(codeOf(() => buildSignString(body('{"a":["1"]}')))).toBe(BusinessCode.ParameterInvalid);
    expect(codeOf(() => buildSignString({ remark: 'a\u0007b' }))).toBe(BusinessCode.ParameterInvalid);
    expect(codeOf(() => buildSignString({ remark: 'a\u0085b' }))).toBe(BusinessCode.ParameterInvalid);
    expect(() => buildSignString({ remark: 'tab\there' })).toThrow(/remark/);
  });

  it('is ambiguous when a value contains "key=": the scheme cannot tell these apart', () => {
    // Inherited from the wire format; tradeNo uniqueness and the timestamp window bound the harm.
    expect(buildSignString({ a: '1b=2' })).toBe(buildSignString({ a: '1', b: '2' }));
    expect(buildSignString({ k: 'x', yz: '1' })).toBe(buildSignString({ k: 'xy', z: '1' }));
  });
});

describe('verifying a sign', () => {
  const secrets = ['s3cr3t'];
  const signed = (fields: WireBody, options = md5Suffix, secret = 's3cr3t') => ({
    ...fields,
    sign: signBody(fields, secret, options),
  });

  it('accepts the secret as suffix or as prefix', () => {
    expect(verifyBody(signed({ a: '1' }, md5Suffix), { secrets, requireHmac: false })).toBe('MD5');
    expect(verifyBody(signed({ a: '1' }, md5Prefix), { secrets, requireHmac: false })).toBe('MD5');
  });

  it('accepts an uppercase hex sign', () => {
    const request = signed({ a: '1' });
    expect(verifyBody({ ...request, sign: (request.sign as string).toUpperCase() }, { secrets, requireHmac: false })).toBe('MD5');
  });

  it('accepts HMAC-SHA256 when signType says so, and only then', () => {
    const request = signed({ a: '1', signType: 'HMAC-SHA256' }, hmac);
    expect(verifyBody(request, { secrets, requireHmac: true })).toBe('HMAC-SHA256');
    const md5Signed = signed({ a: '1' });
    expect(codeOf(() => verifyBody(md5Signed, { secrets, requireHmac: true }))).toBe(BusinessCode.SignatureInvalid);
  });

  it('accepts the old secret during a rotation', () => {
    expect(verifyBody(signed({ a: '1' }, md5Suffix, 'old'), { secrets: ['new', 'old'], requireHmac: false })).toBe('MD5');
  });

  it('refuses a wrong secret, a missing sign and an unknown signType', () => {
    expect(codeOf(() => verifyBody(signed({ a: '1' }, md5Suffix, 'nope'), { secrets, requireHmac: false }))).toBe(
      BusinessCode.SignatureInvalid,
    );
    expect(codeOf(() => verifyBody({ a: '1' }, { secrets, requireHmac: false }))).toBe(BusinessCode.ParameterInvalid);
    expect(codeOf(() => verifyBody(signed({ a: '1', signType: 'SHA1' }), { secrets, requireHmac: false }))).toBe(
      BusinessCode.ParameterInvalid,
    );
  });
});

describe('the timestamp window', () => {
  const now = 1_724_142_041_682;
  it('accepts numbers and numeric strings inside the window', () => {
    expect(checkTimestamp(String(now - 599_000), now, 600)).toBe(now - 599_000);
    expect(checkTimestamp(new LosslessNumber(String(now + 599_000)), now, 600)).toBe(now + 599_000);
  });
  it('refuses a timestamp outside the window with 8008, and accepts anything when the window is 0', () => {
    expect(codeOf(() => checkTimestamp(String(now - 601_000), now, 600))).toBe(BusinessCode.TimestampOutsideWindow);
    expect(checkTimestamp('1', now, 0)).toBe(1);
  });
  it('refuses what is not milliseconds with 8002', () => {
    for (const value of ['abc', '1.5', '-1', '', true]) {
      expect(codeOf(() => checkTimestamp(value, now, 600))).toBe(BusinessCode.ParameterInvalid);
    }
  });
});

// Keys and values as merchants send them; '=' is left out of values, where the scheme is ambiguous (see above).
const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,11}$/).filter((k) => k !== 'sign');
const value = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((v) => v !== '' && !v.includes('=') && !/[\u0000-\u001f\u007f-\u009f]/.test(v));
const bodies = fc.dictionary(key, value, { minKeys: 1, maxKeys: 8 });

describe('sign properties', () => {
  it('key order never matters', () => {
    fc.assert(
      fc.property(bodies, fc.string(), (fields, secret) => {
        const reversed = Object.fromEntries(Object.entries(fields).reverse());
        expect(signBody(reversed, secret, md5Suffix)).toBe(signBody(fields, secret, md5Suffix));
      }),
    );
  });

  it('a change to any signed value changes the sign', () => {
    fc.assert(
      fc.property(bodies, fc.nat(), value, fc.string(), (fields, index, replacement, secret) => {
        const keys = Object.keys(fields);
        const target = keys[index % keys.length]!;
        fc.pre(fields[target] !== replacement);
        const changed = { ...fields, [target]: replacement };
        for (const options of [md5Suffix, md5Prefix, hmac]) {
          expect(signBody(changed, secret, options)).not.toBe(signBody(fields, secret, options));
        }
      }),
    );
  });

  // With keys of letters and values without letters or '=', a sign string reads back one way only.
  const letterKey = fc.stringMatching(/^[A-Za-z]{1,6}$/).filter((k) => k !== 'sign');
  const letterless = fc.stringMatching(/^[0-9 .,:/@+_-]{1,8}$/);
  const unambiguous = fc.dictionary(letterKey, letterless, { minKeys: 1, maxKeys: 6 });

  it('no two different bodies give the same sign string (where values cannot be read as keys)', () => {
    fc.assert(
      fc.property(unambiguous, unambiguous, (left, right) => {
        const same = JSON.stringify(Object.entries(left).sort()) === JSON.stringify(Object.entries(right).sort());
        fc.pre(!same);
        expect(buildSignString(left)).not.toBe(buildSignString(right));
      }),
    );
  });

  it('verifies whatever it signed, and nothing signed with another secret', () => {
    fc.assert(
      fc.property(bodies, fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (fields, secret, other) => {
        fc.pre(secret !== other);
        const sign = signBody(fields, secret, md5Suffix);
        expect(verifyBody({ ...fields, sign }, { secrets: [secret], requireHmac: false })).toBe('MD5');
        expect(codeOf(() => verifyBody({ ...fields, sign }, { secrets: [other], requireHmac: false }))).toBe(
          BusinessCode.SignatureInvalid,
        );
      }),
    );
  });
});

describe('lossless-number look-alikes', () => {
  // What a merchant can write in JSON that has the properties of a parsed number but is an object
  const lookAlike = fc.record({ isLosslessNumber: fc.constant(true), value: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.object()) });
  it('only the parser\'s numbers sign as numbers; a look-alike object in any field is 8002 naming it', () => {
    fc.assert(
      fc.property(bodies, key, fc.jsonValue().chain((json) => fc.constantFrom(json, { isLosslessNumber: true, value: json })), (fields, field, inner) => {
        fc.pre(typeof inner === 'object' && inner !== null);
        const error = (() => { try { buildSignString({ ...fields, [field]: inner as never }); } catch (e) { return e; } })();
        expect(error).toBeInstanceOf(PayrailError);
        expect((error as PayrailError).code).toBe(BusinessCode.ParameterInvalid);
        expect((error as PayrailError).message).toContain(field);
      }),
    );
    fc.assert(
      fc.property(lookAlike, (inner) => {
        expect(() => checkTimestamp(inner as never, 0, 0)).toThrow(/timestamp/);
      }),
    );
    expect(buildSignString(body('{"a":1.50}'))).toBe('a=1.50');
    expect(buildSignString({ a: new LosslessNumber('12') })).toBe('a=12');
  });
});
