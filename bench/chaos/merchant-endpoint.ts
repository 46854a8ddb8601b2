import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyNotification } from '../../src/sdk/verify.ts';
import { FAMILY_STATUSES, type StatusSet } from '../../src/domain/order-status.ts';

/** A merchant of the chaos run as its own server code knows itself. */
export interface ChaosMerchant {
  merchantNo: string;
  appSecret: string;
  statusSet: StatusSet;
}

/** One notification the merchant acknowledged: what it was told. */
export interface Told {
  status: string;
  notifyId: string;
}

/** Everything the merchant heard about one event (a payment, a refund or a payout). */
export interface Heard {
  /** Notifications it verified, understood and acknowledged with `OK`. */
  acknowledged: Told[];
  /** Why it refused the others (a 500 it chose to answer, a sign that did not verify, a status it does not know). */
  refused: string[];
}

/** The key of an event as both the merchant and the audit name it. */
export const eventKey = (notifyType: string, platFormTradeNo: string, refundNo?: string | null) =>
  refundNo ? `${notifyType}:${platFormTradeNo}:${refundNo}` : `${notifyType}:${platFormTradeNo}`;

/**
 * The merchants' notify endpoint, one path per merchant (`/notify/MERCHANTNO`). It does what a
 * careful merchant does: verifies the sign with its own secret (the SDK's verifyNotification),
 * refuses a payment status its status set does not know (a `family` client knows only
 * FAMILY_STATUSES), and otherwise answers `OK`; besides, it answers 500 to `failRate` of the
 * deliveries, so the gateway's retries happen.
 */
export async function startMerchantEndpoint(merchants: readonly ChaosMerchant[], options: { failRate: number; random: () => number }) {
  const heard = new Map<string, Heard>();
  const byNo = new Map(merchants.map((merchant) => [merchant.merchantNo, merchant]));
  const entry = (key: string) => {
    let found = heard.get(key);
    if (!found) heard.set(key, (found = { acknowledged: [], refused: [] }));
    return found;
  };
  let lastDelivery = Date.now();
  const server = http.createServer((req, res) => {
    lastDelivery = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const merchant = byNo.get(req.url?.split('/')[2] ?? '');
      const raw = Buffer.concat(chunks).toString('utf8');
      let fields: Record<string, string>;
      try {
        fields = JSON.parse(raw) as Record<string, string>;
      } catch {
        return res.writeHead(400).end('not JSON');
      }
      const key = eventKey(fields.notifyType ?? '?', fields.platFormTradeNo ?? '?', fields.refundNo);
      const refuse = (reason: string, status = 400) => {
        entry(key).refused.push(reason);
        res.writeHead(status).end(reason);
      };
      if (options.random() < options.failRate) return refuse('busy (the merchant answered 500 on purpose)', 500);
      if (!merchant) return refuse(`no merchant at ${req.url}`);
      try {
        verifyNotification(raw, merchant.appSecret);
      } catch {
        return refuse('the sign did not verify with the merchant secret');
      }
      const status = fields.status ?? '';
      if (fields.notifyType === 'PAYMENT' && merchant.statusSet === 'family' && !(FAMILY_STATUSES as readonly string[]).includes(status)) {
        return refuse(`status ${status} is not in the family status set`);
      }
      entry(key).acknowledged.push({ status, notifyId: fields.notifyId ?? '' });
      res.writeHead(200).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    notifyUrl: (merchant: ChaosMerchant) => `${url}/notify/${merchant.merchantNo}`,
    heard,
    /** Milliseconds since the last delivery arrived, acknowledged or not. */
    quietForMs: () => Date.now() - lastDelivery,
    /** Whether the merchant acknowledged at least one notification of this event. */
    acknowledged: (key: string) => (heard.get(key)?.acknowledged.length ?? 0) > 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type MerchantEndpoint = Awaited<ReturnType<typeof startMerchantEndpoint>>;
