import type { Agent, request } from 'undici';

export interface HttpAgent {
  agent: Agent;
  request: typeof request;
}

/**
 * The connection pool of a connector that speaks HTTP through undici, made by its first call:
 * undici is loaded then, not at every start whether or not that connector is the one configured
 * (docs/performance.md, "Start-up"). Connect, headers and body each bounded by `timeoutMs`.
 */
export function lazyHttpAgent(timeoutMs: number): { get(): Promise<HttpAgent>; close(): Promise<void> } {
  let made: Promise<HttpAgent> | undefined;
  return {
    get: () =>
      (made ??= import('undici').then(({ Agent, request }) => ({
        agent: new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }),
        request,
      }))),
    close: async () => {
      if (made) await (await made).agent.close();
    },
  };
}
