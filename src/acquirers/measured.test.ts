import { describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.ts';
import type { Acquirer, AuthorizationResult, AuthorizeRequest } from './acquirer.ts';
import { measured } from './measured.ts';

describe('measured', () => {
  it('counts each call by connector, operation and outcome, and times each by connector and operation', async () => {
    const metrics = createMetrics();
    const outcomes = ['approved', 'declined', 'approved'];
    const inner = { name: 'fake', paysOut: false, authorize: async () => ({ outcome: outcomes.shift() }) as unknown as AuthorizationResult } as unknown as Acquirer;
    const acquirer = measured(inner, metrics);
    for (let i = 0; i < 3; i++) await acquirer.authorize({} as AuthorizeRequest);

    const calls = (await metrics.acquirerCalls.get()).values.map((v) => [v.labels, v.value]);
    expect(calls).toEqual(
      expect.arrayContaining([
        [{ acquirer: 'fake', operation: 'authorize', outcome: 'approved' }, 2],
        [{ acquirer: 'fake', operation: 'authorize', outcome: 'declined' }, 1],
      ]),
    );
    expect(calls).toHaveLength(2);
    const count = (await metrics.acquirerLatency.get()).values.find((v) => v.metricName === 'payrail_acquirer_call_duration_seconds_count');
    expect(count).toMatchObject({ labels: { acquirer: 'fake', operation: 'authorize' }, value: 3 });
  });
});
