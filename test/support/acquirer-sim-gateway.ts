import { startAcquirerSimServer, type AcquirerSimServer } from '../../src/acquirer-sim/server.ts';
import { createAcquirer } from '../../src/acquirers/index.ts';
import { startTestGateway, type DatabaseKind, type TestGateway } from './test-gateway.ts';

/** A test gateway with ACQUIRER=http, paying through its own `payrail acquirer-sim` service. */
export async function startGatewayOnAcquirerSim(kind: DatabaseKind): Promise<{ sim: AcquirerSimServer; t: TestGateway; close(): Promise<void> }> {
  const sim = await startAcquirerSimServer({ simulator: { timeoutDelayMs: 10 } });
  const t = await startTestGateway(kind, {}, { acquirer: createAcquirer('http', { baseUrl: sim.url, timeoutMs: 2_000 }) });
  return {
    sim,
    t,
    async close() {
      await t.close();
      await sim.close();
    },
  };
}
