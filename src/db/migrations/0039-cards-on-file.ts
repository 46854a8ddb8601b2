import { sql, type Kysely } from 'kysely';

/**
 * Cards on file (issue 26; docs/api.md, "Cards on file"). An order may name the merchant's
 * customer (`customer_id`) and ask for the card to be saved (`save_card`: optional or required);
 * the order paid with a saved card, or that saved one, keeps its `card_token`; an order created by
 * `POST /v1/charge` is `merchant_initiated`. An attempt knows whether the customer agreed to save
 * the card it carries, which saved card it was paid with, and whether the merchant started it.
 *
 * `saved_cards` keeps, per merchant and customer, the acquirer's reusable token sealed with the
 * master key, and brand, BIN, last four, the keyed fingerprint and expiry: never the card number.
 * A customer saving the same card again keeps one row (the newest acquirer token). A deleted card
 * keeps its row with `deleted_at`, so the console can still say which card an old order used.
 *
 * The simulator keeps its own tokens (`simulator_card_tokens`), as a real acquirer would on its side.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE orders
              ADD COLUMN customer_id text,
              ADD COLUMN save_card text CHECK (save_card IN ('optional', 'required')),
              ADD COLUMN card_token text,
              ADD COLUMN merchant_initiated boolean NOT NULL DEFAULT false`.execute(db);
  await sql`ALTER TABLE payment_attempts
              ADD COLUMN save_card boolean NOT NULL DEFAULT false,
              ADD COLUMN card_token text,
              ADD COLUMN merchant_initiated boolean NOT NULL DEFAULT false`.execute(db);
  await sql`
    CREATE TABLE saved_cards (
      card_token            text PRIMARY KEY,
      merchant_no           text NOT NULL REFERENCES merchants (merchant_no),
      customer_id           text NOT NULL,
      acquirer              text NOT NULL,
      acquirer_token_sealed text NOT NULL,
      card_brand            text NOT NULL CHECK (card_brand IN ('visa', 'mastercard')),
      card_bin              text NOT NULL,
      card_last4            text NOT NULL,
      card_fingerprint      text NOT NULL,
      expiry_month          smallint NOT NULL CHECK (expiry_month BETWEEN 1 AND 12),
      expiry_year           smallint NOT NULL,
      order_no              text NOT NULL,
      created_at            timestamptz NOT NULL DEFAULT now(),
      deleted_at            timestamptz
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX saved_cards_one_per_card ON saved_cards (merchant_no, customer_id, card_fingerprint, acquirer) WHERE deleted_at IS NULL`.execute(db);
  await sql`COMMENT ON INDEX saved_cards_one_per_card IS ${sql.lit('a customer saving the same card again keeps one row (keepSavedCard ON CONFLICT); also listSavedCards by merchant and customer')}`.execute(db);
  await sql`
    CREATE TABLE simulator_card_tokens (
      token  text PRIMARY KEY,
      record jsonb NOT NULL
    )`.execute(db);
}
