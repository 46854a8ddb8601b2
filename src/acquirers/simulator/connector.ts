import type { Connector } from '../connector.ts';
import { createSimulatorAcquirer, type SimulatorAcquirer, type SimulatorOptions } from './simulator.ts';
import { CHALLENGE_PASS_CODE } from './test-cards.ts';

/** The simulator has nothing to configure: it is always there. */
export type SimulatorSettings = Readonly<Record<string, never>>;

/** The built-in test acquirer (the test-card table), always configured, the default ACQUIRER. */
export const simulatorConnector = {
  name: 'simulator',
  title: 'the simulator',
  variables: {},
  configure: () => Object.freeze({}),
  // Its records live in the gateway's database, so every node sees one simulated acquirer.
  create: (_settings, gateway) => createSimulatorAcquirer({ store: gateway.simulatorStore }),
  open: (options) => createSimulatorAcquirer(options),
  testChallengeCode: CHALLENGE_PASS_CODE,
} satisfies Connector<'simulator', Record<never, never>, SimulatorSettings, SimulatorOptions | undefined, SimulatorAcquirer>;
