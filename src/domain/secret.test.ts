import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { format, inspect } from 'node:util';
import { Secret } from './secret.ts';
import { secretCvc, secretPan } from './card.ts';

describe('a secret', () => {
  const pan = secretPan('4242424242424242');
  const cvc = secretCvc('123');

  it('reveals its value only when asked', () => {
    expect(pan.reveal()).toBe('4242424242424242');
    expect(cvc.reveal()).toBe('123');
  });

  it('prints as its mask with String(), template literals and concatenation', () => {
    expect(String(pan)).toBe('•••• 4242');
    expect(`${pan}`).toBe('•••• 4242');
    expect('card ' + pan).toBe('card •••• 4242');
    expect(String(cvc)).toBe('•••');
  });

  it('serialises as its mask in JSON', () => {
    expect(JSON.stringify({ card: { number: pan, cvc } })).toBe('{"card":{"number":"•••• 4242","cvc":"•••"}}');
  });

  it('prints as its mask in console.log and util.inspect', () => {
    expect(inspect({ number: pan })).toBe("{ number: Secret(•••• 4242) }");
    expect(format('%o %O %s %j', pan, pan, pan, { pan })).not.toContain('4242424242424242');
  });

  it('is not an own property that spreading or entries can find', () => {
    expect(Object.keys(pan)).toEqual([]);
    expect(JSON.stringify({ ...pan })).toBe('{}');
  });

  it('defaults to a mask that names nothing', () => {
    expect(String(new Secret('app-secret'))).toBe('[secret]');
  });

  it('never prints any value, of any shape, in any of these ways', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8 }).filter((s) => !'[secret]'.includes(s)), (value) => {
        const secret = new Secret(value);
        for (const printed of [String(secret), JSON.stringify(secret), inspect(secret, { depth: 5, showHidden: true }), format('%s %o %O %j', secret, secret, secret, secret)]) {
          expect(printed).not.toContain(value);
        }
      }),
    );
  });
});
