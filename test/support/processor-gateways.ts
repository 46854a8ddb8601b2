import type { Kysely } from 'kysely';
import type { Env } from '../../src/config.ts';
import type { Database } from '../../src/db/schema.ts';
import { startFakeAdyen, type FakeAdyen } from '../../src/acquirers/adyen/test-server.ts';
import { startFakeStripe, type FakeStripe } from '../../src/acquirers/stripe/test-server.ts';
import { startTestGateway, type DatabaseKind, type TestGateway } from './test-gateway.ts';

/** A test gateway whose acquirer is a local Stripe (src/acquirers/stripe/test-server.ts) that signs its webhooks with `webhookSecret`. */
export async function startGatewayWithLocalStripe(kind: DatabaseKind, webhookSecret: string) {
  const stripe: FakeStripe = await startFakeStripe({ webhookSecret });
  const t: TestGateway = await startTestGateway(
    kind,
    { ACQUIRER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_URL: stripe.url, ACQUIRER_TIMEOUT_MS: 2_000 },
    { configuredAcquirers: true },
  );
  return { stripe, t, close: async () => (await t.close(), await stripe.close()) };
}

/** A test gateway whose acquirer is a local Adyen (src/acquirers/adyen/test-server.ts); `env` adds to its settings (ADYEN_HMAC_KEY, …). */
export async function startGatewayWithLocalAdyen(kind: DatabaseKind, env: Partial<Env> = {}) {
  const adyen: FakeAdyen = await startFakeAdyen({ apiKey: 'test-key', merchantAccount: 'PayrailECOM' });
  const t: TestGateway = await startTestGateway(
    kind,
    { ACQUIRER: 'adyen', ADYEN_API_KEY: 'test-key', ADYEN_MERCHANT_ACCOUNT: 'PayrailECOM', ADYEN_CHECKOUT_URL: adyen.checkoutUrl, ...env },
    { configuredAcquirers: true },
  );
  return { adyen, t, close: async () => (await t.close(), await adyen.close()) };
}

const cents = (amount: string) => Math.round(Number(amount) * 100);

/** The merchant's balance as `POST /v1/balance` answers it, in cents: all it has (available and unsettled), and what is frozen. */
export async function balanceInCents(t: TestGateway) {
  const data = (await t.post('/v1/balance', {})).body.data as { availableAmount: string; unsettledAmount: string; freezeAmount: string };
  return { total: cents(data.availableAmount) + cents(data.unsettledAmount), frozen: cents(data.freezeAmount) };
}

/** How many DISPUTE notifications were queued for an order. */
export const disputeNoticesOf = async (db: Kysely<Database>, orderNo: string) =>
  (await db.selectFrom('jobs').select('id').where('order_no', '=', orderNo).where('dispute_event_id', 'is not', null).execute()).length;
