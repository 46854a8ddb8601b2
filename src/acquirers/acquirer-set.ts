import type { Acquirer } from './acquirer.ts';

/**
 * The connectors this gateway can reach, by name, and the default one (ACQUIRER). Attempts
 * record the connector they went to, so reconciling, finishing 3-D Secure and refunding always
 * go back to the same processor.
 */
export interface AcquirerSet {
  readonly defaultName: string;
  /** The named connector; null (rows from before connectors were recorded) is the default. */
  get(name: string | null | undefined): Acquirer;
  has(name: string): boolean;
  /** The connectors a merchant's ordered list names that this gateway has, or the default. */
  route(list: readonly string[] | null | undefined): Acquirer[];
  /** Where a merchant's payout goes: the first connector of `route(list)` that pays out; undefined when none does. */
  routePayout(list: readonly string[] | null | undefined): Acquirer | undefined;
  close(): Promise<void>;
}

export function acquirerSet(connectors: readonly Acquirer[], defaultName: string): AcquirerSet {
  const byName = new Map(connectors.map((connector) => [connector.name, connector]));
  const found = byName.get(defaultName);
  if (!found) throw new TypeError(`the default acquirer ${defaultName} is not configured`);
  const fallback: Acquirer = found;
  function route(list: readonly string[] | null | undefined): Acquirer[] {
    const routed = (list ?? []).map((name) => byName.get(name)).filter((connector): connector is Acquirer => connector !== undefined);
    return routed.length > 0 ? routed : [fallback];
  }
  return {
    defaultName,
    get(name) {
      if (!name) return fallback;
      const connector = byName.get(name);
      if (!connector) throw new Error(`acquirer ${name} is not configured on this gateway`);
      return connector;
    },
    has: (name) => byName.has(name),
    route,
    routePayout: (list) => route(list).find((connector) => connector.paysOut),
    close: async () => {
      await Promise.all(connectors.map((connector) => connector.close()));
    },
  };
}
