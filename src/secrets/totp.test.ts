import { describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { newTotpSecret, totpStep, totpUri } from './totp.ts';

describe('TOTP codes', () => {
  const secret = newTotpSecret();
  const at = new Date('2030-01-02T03:04:05Z');
  const code = (time: Date, forSecret = secret) => TOTP.generate({ secret: Secret.fromBase32(forSecret), timestamp: time.getTime() });

  it('makes an otpauth URI naming the issuer, the account and the secret', () => {
    const uri = new URL(totpUri(secret, 'ops@example.com'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Payrail:ops@example.com');
    expect(uri.searchParams.get('issuer')).toBe('Payrail');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });

  it('accepts the current code and its neighbours, answering their time step', () => {
    const step = Math.floor(at.getTime() / 30_000);
    expect(totpStep(secret, code(at), at)).toBe(step);
    expect(totpStep(secret, code(new Date(at.getTime() - 30_000)), at)).toBe(step - 1);
    expect(totpStep(secret, code(new Date(at.getTime() + 30_000)), at)).toBe(step + 1);
  });

  it('refuses an old code, another secret\'s code and anything that is not six digits', () => {
    expect(totpStep(secret, code(new Date(at.getTime() - 120_000)), at)).toBeUndefined();
    expect(totpStep(secret, code(at, newTotpSecret()), at)).toBeUndefined();
    for (const bad of ['', '12345', '1234567', 'abcdef', ' 123456']) expect(totpStep(secret, bad, at)).toBeUndefined();
  });
});
