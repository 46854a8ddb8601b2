import Fastify from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { AddressInfo } from 'node:net';
import type { DatabaseHandle } from '../src/db/connect.ts';

/**
 * The floor: a bare Fastify server whose one route does one INSERT into a trivial table, through
 * the same driver stack as the gateway (Kysely over the pg Pool or PGlite). Nothing the gateway
 * does per request can be cheaper than this.
 */
export async function startFloorServer(handle: DatabaseHandle) {
  const db = handle.db as unknown as Kysely<unknown>;
  await sql`CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, trade_no text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`.execute(db);

  const app = Fastify({ logger: false });
  app.post('/insert', async (request) => {
    const { tradeNo } = request.body as { tradeNo: string };
    await sql`INSERT INTO bench_floor (trade_no) VALUES (${tradeNo})`.execute(db);
    return { code: '0000' };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/insert`,
    rows: async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM bench_floor`.execute(db)).rows[0]?.n ?? 0,
    close: () => app.close(),
  };
}
