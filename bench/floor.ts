import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../src/db/connect.ts';
import { signBody, type WireBody } from '../src/domain/signature.ts';

export const FLOOR_SECRET = 'floor-has-no-secret';

/**
 * The floor: node:http, JSON.parse of the body, an MD5 check of its sign, and one bare INSERT
 * into a trivial table through the same driver stack as the gateway (Kysely over the pg Pool or
 * PGlite), answered once committed. A create-checkout cannot do less and still be one.
 */
export async function startFloorServer(handle: DatabaseHandle) {
  const db = handle.db as unknown as Kysely<unknown>;
  await sql`CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, trade_no text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`.execute(db);

  const answer = (response: http.ServerResponse, status: number, body: object) => {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: WireBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WireBody;
      } catch {
        return answer(response, 400, { code: '8014' });
      }
      if (signBody(body, FLOOR_SECRET, { signType: 'MD5', placement: 'suffix' }) !== body.sign) return answer(response, 401, { code: '8004' });
      sql`INSERT INTO bench_floor (trade_no) VALUES (${String(body.tradeNo)})`
        .execute(db)
        .then(() => answer(response, 200, { code: '0000' }), () => answer(response, 500, { code: '5000' }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/insert`,
    rows: async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM bench_floor`.execute(db)).rows[0]?.n ?? 0,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
