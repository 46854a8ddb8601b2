import type { Cents } from '../domain/money.ts';
import type { Kysely, Selectable } from 'kysely';
import type { Database, MerchantsTable } from '../db/schema.ts';
import type { MasterKey } from '../secrets/master-key.ts';
import type { SignType } from '../domain/signature.ts';
import { newAppSecret, newMerchantNo } from '../domain/ids.ts';
import type { MerchantStatus } from '../domain/merchant-status.ts';
import { cents } from '../domain/money.ts';
import { Secret } from '../domain/secret.ts';
import type { StatusSet } from '../domain/order-status.ts';
import type { ConsoleScope } from '../domain/console-scope.ts';

export type MerchantRow = Selectable<MerchantsTable>;

export interface NewMerchant {
  name: string;
  feeBps?: number;
  saltPlacement?: 'suffix' | 'prefix';
  requireHmac?: boolean;
  minAmountCents?: number;
  maxAmountCents?: number;
  rateLimitPerSecond?: number;
  /** Ordered acquirer connectors; absent: the configured ACQUIRER. */
  acquirers?: string[] | undefined;
  statusSet?: StatusSet;
  /** Fixed fee in cents taken with each payout; default 0. */
  payoutFeeCents?: number;
}

export const SECRET_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

/** Creates a merchant with a fresh 10-digit number and app secret; the secret is stored sealed. */
export async function createMerchant(db: Kysely<Database>, key: MasterKey, merchant: NewMerchant) {
  const appSecret = newAppSecret();
  for (;;) {
    const merchantNo = newMerchantNo();
    const inserted = await db
      .insertInto('merchants')
      .values({
        merchant_no: merchantNo,
        name: merchant.name,
        app_secret_sealed: key.seal(appSecret),
        fee_bps: merchant.feeBps,
        salt_placement: merchant.saltPlacement,
        require_hmac: merchant.requireHmac,
        min_amount_cents: merchant.minAmountCents === undefined ? undefined : cents(merchant.minAmountCents),
        max_amount_cents: merchant.maxAmountCents === undefined ? undefined : cents(merchant.maxAmountCents),
        rate_limit_per_second: merchant.rateLimitPerSecond,
        acquirers: merchant.acquirers ?? null,
        status_set: merchant.statusSet,
        payout_fee_cents: merchant.payoutFeeCents === undefined ? undefined : cents(merchant.payoutFeeCents),
      })
      .onConflict((conflict) => conflict.column('merchant_no').doNothing())
      .returning('merchant_no')
      .executeTakeFirst();
    if (inserted) return { merchantNo, appSecret };
  }
}

export const findMerchant = (db: Kysely<Database>, merchantNo: string) =>
  db.selectFrom('merchants').selectAll().where('merchant_no', '=', merchantNo).executeTakeFirst();

export const listMerchants = (db: Kysely<Database>) =>
  db.selectFrom('merchants').selectAll().orderBy('created_at').execute();

/** What `payrail merchant update` and the dashboard's edit form may change; absent fields stay. */
export interface MerchantChanges {
  feeBps?: number | undefined;
  minAmountCents?: Cents | undefined;
  maxAmountCents?: Cents | undefined;
  saltPlacement?: 'suffix' | 'prefix' | undefined;
  requireHmac?: boolean | undefined;
  rateLimitPerSecond?: number | undefined;
  /** What the merchant is told an order's status is (domain/order-status.ts). */
  statusSet?: StatusSet | undefined;
  /** Ordered acquirer connectors; an empty list: back to the configured ACQUIRER. */
  acquirers?: string[] | undefined;
  /** Fixed fee in cents taken with each payout. */
  payoutFeeCents?: Cents | undefined;
  /** Taken with each lost dispute, besides its amount. */
  disputeFeeCents?: Cents | undefined;
}

export class MerchantChangeError extends Error {}

/** Changes a merchant's settings; undefined when it does not exist. The limits are checked together. */
export async function updateMerchant(db: Kysely<Database>, merchantNo: string, changes: MerchantChanges): Promise<MerchantRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('merchants').selectAll().where('merchant_no', '=', merchantNo).forUpdate().executeTakeFirst();
    if (!current) return undefined;
    const min = changes.minAmountCents ?? current.min_amount_cents;
    const max = changes.maxAmountCents ?? current.max_amount_cents;
    if (min > max) throw new MerchantChangeError('the minimum amount must not be above the maximum amount');
    return trx
      .updateTable('merchants')
      .set({
        fee_bps: changes.feeBps ?? current.fee_bps,
        min_amount_cents: min,
        max_amount_cents: max,
        salt_placement: changes.saltPlacement ?? current.salt_placement,
        require_hmac: changes.requireHmac ?? current.require_hmac,
        rate_limit_per_second: changes.rateLimitPerSecond ?? current.rate_limit_per_second,
        status_set: changes.statusSet ?? current.status_set,
        acquirers: changes.acquirers === undefined ? current.acquirers : changes.acquirers.length ? changes.acquirers : null,
        payout_fee_cents: changes.payoutFeeCents ?? current.payout_fee_cents,
        dispute_fee_cents: changes.disputeFeeCents ?? current.dispute_fee_cents,
      })
      .where('merchant_no', '=', merchantNo)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** The number and name of every merchant the console scope may see, by name: the dashboard's merchant filter. */
export function listMerchantNames(db: Kysely<Database>, scope: ConsoleScope) {
  let query = db.selectFrom('merchants').select(['merchant_no', 'name']).orderBy('name');
  if (scope.kind === 'one-merchant') query = query.where('merchant_no', '=', scope.merchantNo);
  return query.execute();
}

/** Every acquirer some merchant's ordered list names (for the start-up log). */
export async function acquirersNamedByMerchants(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('merchants').select('acquirers').where('acquirers', 'is not', null).execute();
  return [...new Set(rows.flatMap((row) => row.acquirers ?? []))];
}

/** Whether any merchant exists: an empty database is a first start. */
export const hasMerchants = async (db: Kysely<Database>) =>
  (await db.selectFrom('merchants').select('merchant_no').limit(1).executeTakeFirst()) !== undefined;

/** A merchant's app secrets, opened from their sealed form; Secret so that they never print. */
export interface OpenedSecrets {
  readonly active: Secret<string>;
  readonly previous: Secret<string> | undefined;
  readonly previousUntil: Date | null;
}

export const openSecrets = (merchant: MerchantRow, key: MasterKey): OpenedSecrets => ({
  active: activeSecret(merchant, key),
  previous: merchant.previous_secret_sealed ? new Secret(key.open(merchant.previous_secret_sealed), '[app secret]') : undefined,
  previousUntil: merchant.previous_secret_until,
});

/** The secrets a request may be signed with now: the active one and, within the grace, the previous one. */
export function secretsAcceptedAt(opened: OpenedSecrets, now: Date): Secret<string>[] {
  const secrets = [opened.active];
  if (opened.previous && opened.previousUntil && opened.previousUntil > now) secrets.push(opened.previous);
  return secrets;
}

export const activeSecret = (merchant: MerchantRow, key: MasterKey) => new Secret(key.open(merchant.app_secret_sealed), '[app secret]');

/**
 * Whether a rotation is waiting for the merchant: the old secret is still within its grace and
 * no request signed with the new one has been verified yet.
 */
export const rotationPending = (merchant: MerchantRow, now: Date) =>
  merchant.previous_secret_sealed !== null &&
  merchant.previous_secret_until !== null &&
  merchant.previous_secret_until > now &&
  merchant.active_secret_used_at === null;

/**
 * How what the gateway sends a merchant (notifications, notify listen, the return URL) is
 * signed: its salt placement, last sign type and secret. After a rotation that is the old
 * secret until the merchant's first request signed with the new one, or the grace's end, so a
 * merchant still verifying with the old secret refuses nothing meanwhile (docs/api.md).
 */
export const merchantSigning = (merchant: MerchantRow, key: MasterKey, now: Date) => openedSigning(merchant, openSecrets(merchant, key), now);

/** merchantSigning from secrets already opened from this row (the merchant cache's), with no AES-GCM open. */
export const openedSigning = (merchant: MerchantRow, opened: OpenedSecrets, now: Date) => ({
  secret: rotationPending(merchant, now) && opened.previous ? opened.previous : opened.active,
  placement: merchant.salt_placement,
  signType: merchant.last_sign_type,
});

/**
 * Records that the merchant signed a request with its active secret, so the gateway signs with
 * it too from now on. Only for the secret that was verified: a rotation meanwhile is not marked.
 */
export async function markActiveSecretUsed(db: Kysely<Database>, merchant: MerchantRow, now: Date) {
  await db
    .updateTable('merchants')
    .set({ active_secret_used_at: now })
    .where('merchant_no', '=', merchant.merchant_no)
    .where('app_secret_sealed', '=', merchant.app_secret_sealed)
    .where('active_secret_used_at', 'is', null)
    .execute();
}

/**
 * A new secret becomes active; the old one stays accepted for the grace period. With
 * `ifSealed`, only while that sealed secret is still the active one (compare-and-set), so a
 * confirmation posted twice rotates once.
 */
export async function rotateSecret(db: Kysely<Database>, key: MasterKey, merchantNo: string, now: Date, graceMs = SECRET_ROTATION_GRACE_MS, ifSealed?: string) {
  const appSecret = newAppSecret();
  let query = db
    .updateTable('merchants')
    .set((eb) => ({
      previous_secret_sealed: eb.ref('app_secret_sealed'),
      previous_secret_until: new Date(now.getTime() + graceMs),
      app_secret_sealed: key.seal(appSecret),
      active_secret_used_at: null,
    }))
    .where('merchant_no', '=', merchantNo);
  if (ifSealed !== undefined) query = query.where('app_secret_sealed', '=', ifSealed);
  const updated = await query.returning('merchant_no').executeTakeFirst();
  return updated ? { merchantNo, appSecret } : undefined;
}

export async function setMerchantStatus(db: Kysely<Database>, merchantNo: string, status: MerchantStatus) {
  const updated = await db
    .updateTable('merchants')
    .set({ status })
    .where('merchant_no', '=', merchantNo)
    .returning('merchant_no')
    .executeTakeFirst();
  return updated !== undefined;
}

/** Notifications answer in the sign type the merchant last used; written only when it changes. */
export async function rememberSignType(db: Kysely<Database>, merchant: MerchantRow, signType: SignType) {
  if (merchant.last_sign_type === signType) return;
  await db.updateTable('merchants').set({ last_sign_type: signType }).where('merchant_no', '=', merchant.merchant_no).execute();
}
