import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../src/db/connect.ts';

/**
 * The pay-path floor: the least a card payment must do, on node:http with the gateway's driver
 * stack. GET reads the order by its token and answers a small page with a CSRF cookie and field;
 * POST checks them and, in one transaction, locks the order, inserts the attempt, marks the order
 * paid, writes two ledger rows and one notification job, then answers a small receipt. The same
 * customer code (bench/pay-path-client.ts) pays here and on the gateway.
 */
export async function startPayFloor(handle: DatabaseHandle) {
  const db = handle.db as unknown as Kysely<unknown>;
  await sql`CREATE TABLE IF NOT EXISTS floor_orders (token text PRIMARY KEY, order_no text NOT NULL, amount_cents bigint NOT NULL, paid boolean NOT NULL DEFAULT false)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS floor_attempts (id text PRIMARY KEY, order_no text NOT NULL, last4 text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS floor_ledger (id bigserial PRIMARY KEY, order_no text NOT NULL, account text NOT NULL, amount_cents bigint NOT NULL)`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS floor_jobs (id bigserial PRIMARY KEY, order_no text NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`.execute(db);

  const page = (response: http.ServerResponse, status: number, html: string, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), ...headers });
    response.end(html);
  };
  const pay = async (token: string, last4: string): Promise<string | undefined> =>
    db.transaction().execute(async (trx) => {
      const order = (await sql<{ order_no: string; amount_cents: number }>`SELECT order_no, amount_cents FROM floor_orders WHERE token = ${token} AND NOT paid FOR UPDATE`.execute(trx)).rows[0];
      if (!order) return undefined;
      await sql`INSERT INTO floor_attempts (id, order_no, last4) VALUES (${`att_${randomBytes(12).toString('hex')}`}, ${order.order_no}, ${last4})`.execute(trx);
      await sql`UPDATE floor_orders SET paid = true WHERE token = ${token}`.execute(trx);
      await sql`INSERT INTO floor_ledger (order_no, account, amount_cents) VALUES (${order.order_no}, 'acquirer', ${order.amount_cents}), (${order.order_no}, 'merchant', ${-order.amount_cents})`.execute(trx);
      await sql`INSERT INTO floor_jobs (order_no, kind) VALUES (${order.order_no}, 'notify')`.execute(trx);
      return order.order_no;
    });

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://floor');
    if (request.method === 'GET' && url.pathname === '/checkout') {
      const token = url.searchParams.get('data') ?? '';
      sql<{ order_no: string }>`SELECT order_no FROM floor_orders WHERE token = ${token}`.execute(db).then(
        ({ rows }) => {
          if (!rows[0]) return page(response, 404, 'unknown');
          const csrf = randomBytes(16).toString('hex');
          page(response, 200, `<form method="post"><input name="_csrf" value="${csrf}">${rows[0].order_no}</form>`, { 'set-cookie': `payrail_csrf=${csrf}; HttpOnly` });
        },
        () => page(response, 500, 'error'),
      );
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const cookie = /payrail_csrf=([0-9a-f]+)/.exec(request.headers.cookie ?? '')?.[1];
      if (!cookie || cookie !== form.get('_csrf')) return page(response, 403, 'csrf');
      pay(form.get('data') ?? '', (form.get('cardNumber') ?? '').slice(-4)).then(
        (orderNo) => (orderNo ? page(response, 200, `<p class="ok">paid ${orderNo}</p>`) : page(response, 410, 'ended')),
        () => page(response, 500, 'error'),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let counter = 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    /** Orders created beforehand, as the gateway's are. */
    async createOrder(): Promise<{ token: string; orderNo: string }> {
      const order = { token: randomBytes(24).toString('base64url'), orderNo: `F${process.pid}${(counter += 1)}` };
      await sql`INSERT INTO floor_orders (token, order_no, amount_cents) VALUES (${order.token}, ${order.orderNo}, 30000)`.execute(db);
      return order;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
