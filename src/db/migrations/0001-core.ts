import { sql, type Kysely } from 'kysely';

/**
 * Merchants, orders, payment attempts and the order event log.
 * Every status column has a CHECK constraint mirroring its TypeScript union.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE merchants (
      merchant_no           text PRIMARY KEY CHECK (merchant_no ~ '^[0-9]{10}$'),
      name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
      status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      app_secret_sealed     text NOT NULL,
      previous_secret_sealed text,
      previous_secret_until timestamptz,
      salt_placement        text NOT NULL DEFAULT 'suffix' CHECK (salt_placement IN ('suffix', 'prefix')),
      require_hmac          boolean NOT NULL DEFAULT false,
      last_sign_type        text NOT NULL DEFAULT 'MD5' CHECK (last_sign_type IN ('MD5', 'HMAC-SHA256')),
      fee_bps               integer NOT NULL DEFAULT 290 CHECK (fee_bps BETWEEN 0 AND 10000),
      min_amount_cents      bigint NOT NULL DEFAULT 1 CHECK (min_amount_cents >= 1),
      max_amount_cents      bigint NOT NULL DEFAULT 99999999999 CHECK (max_amount_cents >= min_amount_cents),
      rate_limit_per_second integer NOT NULL DEFAULT 1000 CHECK (rate_limit_per_second >= 1),
      created_at            timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // A fixed one-second window per merchant. UNLOGGED: losing counters in a crash is harmless,
  // and it keeps the rate limiter off the write-ahead log of the hot path.
  await sql`
    CREATE UNLOGGED TABLE rate_limits (
      merchant_no  text PRIMARY KEY REFERENCES merchants ON DELETE CASCADE,
      window_start bigint NOT NULL,
      hits         integer NOT NULL
    )`.execute(db);

  await sql`
    CREATE TABLE orders (
      plat_form_trade_no text PRIMARY KEY CHECK (plat_form_trade_no ~ '^[0-9a-z]{16}$'),
      merchant_no        text NOT NULL REFERENCES merchants,
      trade_no           text NOT NULL,
      request_hash       text NOT NULL,
      amount_cents       bigint NOT NULL CHECK (amount_cents > 0),
      currency           text NOT NULL CHECK (currency = 'USD'),
      mobile             text NOT NULL,
      email              text NOT NULL,
      user_id            text NOT NULL,
      notify_url         text NOT NULL,
      return_url         text NOT NULL,
      remark             text,
      status             text NOT NULL DEFAULT '0015' CHECK (status IN ('0015', '0000', '00029', '00030', '00031')),
      status_desc        text NOT NULL DEFAULT 'CREATED',
      payment_token      text UNIQUE,
      expires_at         timestamptz NOT NULL,
      created_at         timestamptz NOT NULL DEFAULT now(),
      paid_at            timestamptz,
      ended_at           timestamptz,
      card_brand         text,
      card_last4         text,
      UNIQUE (merchant_no, trade_no)
    )`.execute(db);
  await sql`CREATE INDEX orders_open_by_expiry ON orders (expires_at) WHERE status = '0015'`.execute(db);

  await sql`
    CREATE TABLE order_events (
      id          bigserial PRIMARY KEY,
      order_no    text NOT NULL REFERENCES orders ON DELETE CASCADE,
      type        text NOT NULL,
      detail      jsonb,
      created_at  timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX order_events_by_order ON order_events (order_no, id)`.execute(db);

  await sql`
    CREATE TABLE admins (
      id            bigserial PRIMARY KEY,
      email         text NOT NULL UNIQUE,
      password_hash text NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}
