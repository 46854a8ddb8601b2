import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../context.ts';
import { findOrderByToken } from '../store/orders.ts';

const TOKEN = /^[0-9a-f]{64}$/;

/** The hosted cashier page behind `paymentUrl`. */
export async function cashierPages(app: FastifyInstance, context: GatewayContext) {
  app.get('/checkout', async (request, reply) => {
    const token = (request.query as Record<string, unknown>).data;
    const order = typeof token === 'string' && TOKEN.test(token) ? await findOrderByToken(context.db, token) : undefined;
    reply.type('text/html; charset=utf-8');
    if (!order) return reply.status(404).send('<!doctype html><title>Payment link not found</title><h1>This payment link does not exist.</h1>');
    if (order.status !== '0015') return reply.status(410).send('<!doctype html><title>Payment link closed</title><h1>This payment link can no longer be used.</h1>');
    return `<!doctype html><title>Pay</title><h1>Order ${order.plat_form_trade_no}</h1>`;
  });
}
