import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../context.ts';
import { CHALLENGE_PASS_CODE } from '../acquirers/simulator/test-cards.ts';
import { simulatorTestCode } from './render-payment.ts';

const contextIn = (env: 'development' | 'test' | 'production', defaultName = 'simulator') =>
  ({ config: { env }, acquirers: { defaultName } }) as unknown as GatewayContext;

describe('the 3-D Secure test code on the challenge page', () => {
  it.each(['test', 'development'] as const)('is shown in %s mode for the simulator', (env) => {
    expect(simulatorTestCode(contextIn(env), 'simulator')).toBe(CHALLENGE_PASS_CODE);
    expect(simulatorTestCode(contextIn(env), null)).toBe(CHALLENGE_PASS_CODE);
  });

  it('is never shown in production', () => {
    expect(simulatorTestCode(contextIn('production'), 'simulator')).toBeUndefined();
    expect(simulatorTestCode(contextIn('production'), null)).toBeUndefined();
  });

  it('is not shown for another connector’s challenge', () => {
    expect(simulatorTestCode(contextIn('test'), 'http')).toBeUndefined();
    expect(simulatorTestCode(contextIn('test', 'http'), null)).toBeUndefined();
  });
});
