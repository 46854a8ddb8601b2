/** The demo shop's HTML: plain server-rendered pages, no script. */
export interface Product {
  id: string;
  name: string;
  amount: string;
}

export type ShopOrderState = 'awaiting payment' | 'paid' | 'payment failed' | 'refund requested' | 'refunded' | 'refund failed';

export interface ShopOrder {
  tradeNo: string;
  product: Product;
  state: ShopOrderState;
  platFormTradeNo?: string;
  card?: string;
  /** What the shop learnt, in order: the return, each notification. */
  events: string[];
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const WAITING: ReadonlySet<ShopOrderState> = new Set(['awaiting payment', 'refund requested']);

function layout(title: string, body: string, refreshSeconds?: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}<title>${escape(title)} · Payrail demo shop</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a2e}
.products{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:1rem}.card{border:1px solid #ddd;border-radius:.5rem;padding:1rem}
button{font:inherit;padding:.4rem 1rem;border-radius:.4rem;border:0;background:#3b3bd4;color:#fff;cursor:pointer}
.state{font-weight:700}.muted{color:#666}code{font-size:.9em}</style></head>
<body><header><a href="/">Payrail demo shop</a></header><main>${body}</main></body></html>`;
}

export function productsPage(products: readonly Product[], orders: readonly ShopOrder[]): string {
  const cards = products
    .map(
      (p) => `<form class="card" method="post" action="/buy"><h2>${escape(p.name)}</h2><p>USD ${escape(p.amount)}</p>
<input type="hidden" name="product" value="${escape(p.id)}"><button type="submit">Buy ${escape(p.name)}</button></form>`,
    )
    .join('');
  const list = orders.length
    ? `<h2>Your orders</h2><ul>${orders.map((o) => `<li><a href="/orders/${escape(o.tradeNo)}">${escape(o.tradeNo)}</a>: ${escape(o.product.name)}, ${escape(o.state)}</li>`).join('')}</ul>`
    : '';
  return layout('Products', `<h1>Pick a product</h1><div class="products">${cards}</div>${list}
<p class="muted">You pay on Payrail's test cashier: card 4242 4242 4242 4242, any future expiry, CVC 123.</p>`);
}

export function orderPage(order: ShopOrder, notice?: string): string {
  const refund =
    order.state === 'paid'
      ? `<form method="post" action="/orders/${escape(order.tradeNo)}/refund"><button type="submit">Refund</button></form>`
      : '';
  const waiting = WAITING.has(order.state) ? '<p class="muted">Waiting for Payrail’s notification… (this page reloads)</p>' : '';
  return layout(
    `Order ${order.tradeNo}`,
    `<h1>Order ${escape(order.tradeNo)}</h1>
<p>${escape(order.product.name)}, USD ${escape(order.product.amount)}</p>
${notice ? `<p role="status">${escape(notice)}</p>` : ''}
<p>Status: <span class="state" id="state">${escape(order.state)}</span>${order.card ? ` <span class="muted">(${escape(order.card)})</span>` : ''}</p>
${waiting}${refund}
<h2>What the shop heard</h2><ol>${order.events.map((e) => `<li><code>${escape(e)}</code></li>`).join('')}</ol>`,
    WAITING.has(order.state) ? 1 : undefined,
  );
}

export function notFoundPage(): string {
  return layout('Not found', '<h1>No such order</h1><p><a href="/">Back to the shop</a></p>');
}
