import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { PayrailApiError, PayrailClient, WireStatus, verifyNotification, verifyReturnUrl, type PayrailClientOptions } from '../sdk/index.ts';
import { notFoundPage, orderPage, productsPage, type Product, type ShopOrder } from './pages.ts';

export const PRODUCTS: readonly Product[] = [
  { id: 'mug', name: 'Coffee mug', amount: '12.00' },
  { id: 'tee', name: 'T-shirt', amount: '25.00' },
  { id: 'poster', name: 'Poster', amount: '8.50' },
];

const MAX_BODY_BYTES = 16 * 1024;
const MAX_ORDERS = 1000;

export interface DemoShop {
  url: string;
  close(): Promise<void>;
}

/**
 * A merchant's shop built on the SDK alone. `publicUrl` is where the gateway and browsers
 * reach it (its notifyUrl and returnUrl are made from it).
 */
export async function startDemoShop(options: { port: number; host: string; publicUrl?: string; payrail: PayrailClientOptions }): Promise<DemoShop> {
  const client = new PayrailClient(options.payrail);
  const secrets = [options.payrail.appSecret];
  const orders = new Map<string, ShopOrder>();
  const seenNotifications = new Set<string>();
  let shopUrl = options.publicUrl ?? '';

  async function buy(productId: string | null) {
    const product = PRODUCTS.find((p) => p.id === productId);
    if (!product) return { status: 400, html: productsPage(PRODUCTS, [...orders.values()]) };
    if (orders.size >= MAX_ORDERS) orders.delete(orders.keys().next().value!);
    const tradeNo = `shop-${randomBytes(6).toString('hex')}`;
    const order: ShopOrder = { tradeNo, product, state: 'awaiting payment', events: [] };
    orders.set(tradeNo, order);
    const checkout = await client.createCheckout({
      tradeNo,
      amount: product.amount,
      mobile: '15550100',
      email: 'customer@example.com',
      userId: 'demo-customer',
      notifyUrl: `${shopUrl}/notify`,
      returnUrl: `${shopUrl}/orders/${tradeNo}`,
      remark: product.name,
    });
    order.platFormTradeNo = checkout.platFormTradeNo;
    return { redirect: checkout.paymentUrl };
  }

  async function receiveNotification(raw: Buffer) {
    const notification = verifyNotification(raw, secrets);
    const order = orders.get(notification.tradeNo);
    if (!order || seenNotifications.has(notification.notifyId)) return;
    const paid = notification.notifyType === 'PAYMENT' && notification.status === WireStatus.Success;
    // The card comes from a query: asked before anything changes, so a page shown meanwhile never
    // has a paid order without its card, and a query that fails leaves the notification unseen for its retry.
    const card = paid ? await client.query({ tradeNo: notification.tradeNo }) : undefined;
    if (seenNotifications.has(notification.notifyId)) return;
    seenNotifications.add(notification.notifyId);
    order.events.push(`notification ${notification.notifyType} ${notification.status} ${notification.message} ${notification.amount}`);
    if (notification.notifyType === 'PAYMENT') {
      if (card) order.card = `${card.cardBrand} ending ${card.cardLast4}`;
      order.state = paid ? 'paid' : 'payment failed';
    } else if (notification.notifyType === 'REFUND') {
      order.state = notification.status === WireStatus.Success ? 'refunded' : 'refund failed';
    }
  }

  async function refund(order: ShopOrder) {
    if (order.state !== 'paid') return `Only a paid order can be refunded.`;
    const answer = await client.refund({ tradeNo: order.tradeNo, refundNo: `${order.tradeNo}-refund`, amount: order.product.amount, reason: 'demo refund' });
    order.state = 'refund requested';
    order.events.push(`refund answered ${answer.status} ${answer.desc}`);
    return undefined;
  }

  async function handle(request: http.IncomingMessage, body: Buffer, response: http.ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://shop.invalid');
    const send = (status: number, html: string) => response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    const orderPath = /^\/orders\/([A-Za-z0-9_-]{1,64})(\/refund)?$/.exec(url.pathname);

    if (request.method === 'GET' && url.pathname === '/') return send(200, productsPage(PRODUCTS, [...orders.values()].reverse()));
    if (request.method === 'POST' && url.pathname === '/buy') {
      const outcome = await buy(new URLSearchParams(body.toString('utf8')).get('product'));
      if ('redirect' in outcome) return response.writeHead(303, { location: outcome.redirect }).end();
      return send(outcome.status, outcome.html);
    }
    if (request.method === 'POST' && url.pathname === '/notify') {
      try {
        await receiveNotification(body);
      } catch {
        return response.writeHead(400, { 'content-type': 'text/plain' }).end('bad sign');
      }
      return response.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    }
    const order = orderPath ? orders.get(orderPath[1]!) : undefined;
    if (!order) return send(404, notFoundPage());
    if (request.method === 'GET' && !orderPath![2]) {
      let notice: string | undefined;
      if (url.searchParams.has('sign')) {
        try {
          const back = verifyReturnUrl(`${shopUrl}${request.url}`, secrets);
          notice = `Back from the cashier with status ${back.status} (signed). The order turns paid when the notification arrives.`;
          if (!order.events.some((e) => e.startsWith('return'))) order.events.push(`return ${back.status} (sign checked)`);
        } catch {
          notice = 'The return URL’s sign did not match: ignored.';
        }
      }
      return send(200, orderPage(order, notice));
    }
    if (request.method === 'POST' && orderPath![2]) {
      const refused = await refund(order);
      if (refused) return send(409, orderPage(order, refused));
      return response.writeHead(303, { location: `/orders/${order.tradeNo}` }).end();
    }
    return send(404, notFoundPage());
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => {
      handle(request, Buffer.concat(chunks), response).catch((error: unknown) => {
        const message = error instanceof PayrailApiError ? `Payrail refused: ${error.message}` : `Something went wrong: ${(error as Error).message}`;
        if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
        response.end(`<!doctype html><meta charset="utf-8"><title>Error</title><p>${message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p><p><a href="/">Back</a></p>`);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  if (!shopUrl) shopUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url: shopUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
