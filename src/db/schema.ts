import type { ColumnType, Generated } from 'kysely';
import type { OrderStatus, StatusSet } from '../domain/order-status.ts';
import type { AttemptStatus } from '../domain/attempt-status.ts';
import type { RefundStatus } from '../domain/refund-status.ts';
import type { JobKind, JobStatus } from '../domain/job-status.ts';
import type { LedgerAccount } from '../domain/ledger-account.ts';
import type { MerchantStatus } from '../domain/merchant-status.ts';
import type { PayoutStatus } from '../domain/payout-status.ts';
import type { Cents, SignedCents } from '../domain/money.ts';
import type { AuditActorRole, ConsoleRole } from '../domain/console-scope.ts';
import type { Mismatch } from '../domain/event-match.ts';
import type { PostingKind } from '../domain/ledger-postings.ts';
import type { ProcessorName } from '../acquirers/index.ts';
import type { DisputeProcessor, DisputeReason, DisputeStage, DisputeStatus } from '../domain/dispute.ts';
import type { SaveCard } from '../domain/saved-card.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface MerchantsTable {
  merchant_no: string;
  name: string;
  status: ColumnType<MerchantStatus, MerchantStatus | undefined, MerchantStatus>;
  app_secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_until: Timestamp | null;
  /** When a request signed with the active secret was first verified; null after a rotation until then. */
  active_secret_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  salt_placement: ColumnType<'suffix' | 'prefix', 'suffix' | 'prefix' | undefined>;
  require_hmac: ColumnType<boolean, boolean | undefined>;
  last_sign_type: ColumnType<'MD5' | 'HMAC-SHA256', 'MD5' | 'HMAC-SHA256' | undefined>;
  fee_bps: ColumnType<number, number | undefined>;
  min_amount_cents: ColumnType<Cents, Cents | undefined>;
  max_amount_cents: ColumnType<Cents, Cents | undefined>;
  rate_limit_per_second: ColumnType<number, number | undefined>;
  /** Ordered acquirer connectors (failover in that order); null: the configured ACQUIRER. */
  acquirers: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  /** What the merchant is told an order's status is (domain/order-status.ts, wireStatus). */
  status_set: ColumnType<StatusSet, StatusSet | undefined, StatusSet>;
  /** Fixed fee in cents taken with each payout, besides its amount. */
  payout_fee_cents: ColumnType<Cents, Cents | undefined, Cents>;
  /** Taken from the merchant's balance with each lost dispute (default 1500: 15.00). */
  dispute_fee_cents: ColumnType<Cents, Cents | undefined, Cents>;
  created_at: CreatedAt;
}

export interface RateLimitsTable {
  merchant_no: string;
  window_start: number;
  hits: number;
}


export interface OrdersTable {
  plat_form_trade_no: string;
  merchant_no: string;
  trade_no: string;
  request_hash: string;
  amount_cents: Cents;
  currency: string;
  mobile: string;
  email: string;
  user_id: string;
  notify_url: string;
  return_url: string;
  remark: string | null;
  /** The cashier language (src/i18n) of the customer's latest payment attempt; the receipt is written in it. */
  paid_locale: ColumnType<string | null, string | null | undefined, string | null>;
  status: ColumnType<OrderStatus, OrderStatus | undefined, OrderStatus>;
  status_desc: ColumnType<string, string | undefined, string>;
  payment_token: string | null;
  expires_at: Timestamp;
  created_at: CreatedAt;
  paid_at: Timestamp | null;
  ended_at: Timestamp | null;
  card_brand: string | null;
  card_last4: string | null;
  /** When the payment moved from the merchant's pending to available balance. */
  settled_at: Timestamp | null;
  /** The merchant's id for the customer (cards on file, migration 0039); null when not sent. */
  customer_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Whether the cashier offers (`optional`) or announces (`required`) saving the card; null: neither. */
  save_card: ColumnType<SaveCard | null, SaveCard | null | undefined, SaveCard | null>;
  /** The saved card (`cardToken`) this order was paid with or saved; null otherwise. */
  card_token: ColumnType<string | null, string | null | undefined, string | null>;
  /** Created and charged by `POST /v1/charge`, without the customer. */
  merchant_initiated: ColumnType<boolean, boolean | undefined, boolean>;
  /** Declined and errored attempts so far (failed-over ones excluded): the cashier's attempts left, the attempt limit (migration 0040). */
  failed_attempts: ColumnType<number, number | undefined, number>;
}

/**
 * What must be unique about an order across every month, and which month's partition of
 * `orders` holds it (migration 0033): written with the order, in the same statement.
 */
export interface OrderKeysTable {
  plat_form_trade_no: string;
  merchant_no: string;
  trade_no: string;
  payment_token: string | null;
  created_at: CreatedAt;
}

export interface OrderEventsTable {
  id: Generated<number>;
  order_no: string;
  type: string;
  detail: unknown;
  created_at: CreatedAt;
}

export interface AdminsTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  created_at: CreatedAt;
  /** Moves on at logout and at a password change: sessions signed with an older one are over. */
  session_generation: Generated<number>;
  /** Set for a one-time password (first start, `admin create`): the operator must choose a new one. */
  must_change_password: Generated<boolean>;
  /** `operator` sees every merchant; `merchant` only `merchant_no` (a CHECK holds the pair together). */
  role: ColumnType<ConsoleRole, ConsoleRole | undefined, ConsoleRole>;
  merchant_no: string | null;
  /** Set while the user is disabled: no login, no session. */
  disabled_at: Timestamp | null;
  /** The TOTP secret sealed with the master key; null when the user has no second factor. */
  totp_secret_sealed: string | null;
  /** The last TOTP time step a code was accepted for (a code is never accepted twice). */
  totp_last_step: number | null;
}

/** Dashboard login tries counted in one window, per key (`pair:`, `address:`, `email:`). */
export interface LoginCountersTable {
  key: string;
  window_start: Date;
  tries: number;
}

/** Addresses an operator has signed in from: the per-email limit does not apply to them. */
export interface LoginKnownAddressesTable {
  email: string;
  address: string;
  last_login_at: Date;
}

export interface JobsTable {
  id: string;
  kind: JobKind;
  /** The order the job is about, or null for a payout's job. */
  order_no: string | null;
  refund_no: string | null;
  payout_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** For a DISPUTE notification: the dispute event it tells (its status after that event). */
  dispute_event_id: ColumnType<number | null, number | null | undefined, never>;
  /** What a job needs beyond its subject: for a simulator dispute, the reason. */
  detail: ColumnType<string | null, string | null | undefined, never>;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  run_at: ColumnType<Date, Date | string | undefined, Date | string>;
  lease: string | null;
  leased_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
}

export interface NotificationAttemptsTable {
  id: Generated<number>;
  notify_id: string;
  attempted_at: CreatedAt;
  /** Which gateway process made the attempt. */
  worker: string;
  url: string;
  acknowledged: boolean;
  http_status: number | null;
  latency_ms: number;
  body_excerpt: string | null;
  error: string | null;
}

export interface PaymentAttemptsTable {
  /** Also our idempotency key at the acquirer. */
  id: string;
  order_no: string;
  status: ColumnType<AttemptStatus, AttemptStatus | undefined, AttemptStatus>;
  card_brand: 'visa' | 'mastercard';
  card_bin: string;
  card_last4: string;
  card_fingerprint: string;
  client_ip: string | null;
  /** Decline or error reason, for the merchant and operators; never shown to the customer. */
  reason: string | null;
  acquirer_reference: string | null;
  challenge_id: string | null;
  /** The connector this attempt went to; null on rows from before connectors were recorded. */
  acquirer: string | null;
  /** An `error` the next acquirer in the merchant's list took over: not a failed attempt of the order. */
  failed_over: ColumnType<boolean, boolean | undefined, boolean>;
  /** Where a processor's 3-D Secure step sends the browser (url, method, fields). */
  challenge_redirect: ColumnType<unknown, string | null | undefined, string | null>;
  check_after: Timestamp;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** The order's created_at: an attempt lives in its order's month partition. */
  order_created_at: ColumnType<Date, Date | string, never>;
  /** The customer agreed (or the order required) to save the card of this attempt. */
  save_card: ColumnType<boolean, boolean | undefined, boolean>;
  /** The saved card this attempt pays with; null for a typed card. */
  card_token: ColumnType<string | null, string | null | undefined, string | null>;
  /** Started by the merchant (`POST /v1/charge`): one decline ends the order. */
  merchant_initiated: ColumnType<boolean, boolean | undefined, boolean>;
}

/** A card kept for a merchant's customer (migration 0039): the acquirer's token sealed, never the number. */
export interface SavedCardsTable {
  /** Ours: `ct_` + 24 lowercase base-36 characters. */
  card_token: string;
  merchant_no: string;
  customer_id: string;
  /** The connector that saved it, and the only one that can charge it. */
  acquirer: string;
  /** The acquirer's reusable token, sealed with the master key. */
  acquirer_token_sealed: string;
  card_brand: 'visa' | 'mastercard';
  card_bin: string;
  card_last4: string;
  card_fingerprint: string;
  expiry_month: number;
  expiry_year: number;
  /** The order that saved it. */
  order_no: string;
  created_at: CreatedAt;
  deleted_at: Timestamp | null;
}

export interface SimulatorCardTokensTable {
  token: string;
  record: ColumnType<unknown, string, string>;
}

export interface SimulatorAuthorizationsTable {
  idempotency_key: string;
  challenge_id: string | null;
  record: ColumnType<unknown, string, string>;
}

export interface SimulatorChargesTable {
  id: Generated<number>;
  idempotency_key: string;
  reference: string;
  amount_cents: Cents;
  currency: string;
  charged_at: CreatedAt;
}

export interface SimulatorRefundsTable {
  idempotency_key: string;
  reference: string;
  record: ColumnType<unknown, string, string>;
}

export interface RefundsTable {
  /** Ours; also the idempotency key of the refund at the acquirer. */
  id: string;
  merchant_no: string;
  refund_no: string;
  order_no: string;
  request_hash: string;
  amount_cents: Cents;
  reason: string | null;
  status: ColumnType<RefundStatus, RefundStatus | undefined, RefundStatus>;
  status_desc: ColumnType<string, string | undefined, string>;
  acquirer_reference: string | null;
  check_after: Timestamp;
  created_at: CreatedAt;
  ended_at: Timestamp | null;
}

export type { PostingKind };

export interface LedgerPostingsTable {
  id: Generated<number>;
  kind: PostingKind;
  merchant_no: string;
  /** The order the posting is about, or null for a payout's posting. */
  order_no: string | null;
  refund_id: string | null;
  payout_id: ColumnType<string | null, string | null | undefined, never>;
  /** The dispute a dispute_* posting holds, releases or takes (its order is order_no). */
  dispute_no: ColumnType<string | null, string | null | undefined, never>;
  created_at: CreatedAt;
}

export interface LedgerEntriesTable {
  id: Generated<number>;
  posting_id: number;
  account: LedgerAccount;
  merchant_no: string;
  /** Debits positive, credits negative; the entries of a posting sum to zero. */
  amount_cents: SignedCents;
  /** When the posting was written: picks the month partition. */
  created_at: CreatedAt;
}

export interface PayoutsTable {
  /** Ours; also the payout's idempotency key at the acquirer. */
  id: string;
  plat_form_trade_no: string;
  merchant_no: string;
  trade_no: string;
  request_hash: string;
  amount_cents: Cents;
  fee_cents: Cents;
  currency: string;
  customer_name: string;
  customer_mobile: string | null;
  customer_email: string | null;
  notify_url: string;
  remark: string | null;
  card_brand: 'visa' | 'mastercard';
  card_bin: string;
  card_last4: string;
  card_fingerprint: string;
  /** The card number sealed with the master key, only until the acquirer acknowledged the payout. */
  card_sealed: string | null;
  status: ColumnType<PayoutStatus, PayoutStatus | undefined, PayoutStatus>;
  status_desc: ColumnType<string, string | undefined, string>;
  acquirer_reference: string | null;
  /** The connector the payout went to (null on rows from before it was recorded: the configured ACQUIRER). */
  acquirer: ColumnType<string | null, string | null | undefined, string | null>;
  check_after: Timestamp;
  created_at: CreatedAt;
  ended_at: Timestamp | null;
}

export interface PayoutEventsTable {
  id: Generated<number>;
  payout_id: string;
  type: string;
  detail: string | null;
  created_at: CreatedAt;
}

export interface SimulatorPayoutsTable {
  idempotency_key: string;
  record: ColumnType<unknown, string, string>;
  paid: boolean;
}

/** Card-testing caps' slots (migration 0036, src/store/card-testing-slots.ts). */
export interface CardTestingSlotsTable {
  scope: number;
  key: string;
  slot: number;
  attempt_id: string | null;
  busy_until: Date;
}

/** A dispute of a paid order (domain/dispute.ts); its amount held, released or lost through ledger postings. */
export interface DisputesTable {
  /** Ours: `disputeNo`. */
  dispute_no: string;
  processor: DisputeProcessor;
  processor_dispute_id: string;
  merchant_no: string;
  order_no: string;
  amount_cents: Cents;
  currency: string;
  reason: DisputeReason;
  evidence_due_by: Date | null;
  status: DisputeStatus;
  /** The dispute fee taken when it was lost; null otherwise. */
  fee_cents: Cents | null;
  created_at: CreatedAt;
  closed_at: Date | null;
}

/** Each processor event of a dispute, with the status it left and the money it moved. */
export interface DisputeEventsTable {
  id: Generated<number>;
  dispute_no: string;
  stage: DisputeStage;
  status_after: DisputeStatus;
  /** The movements posted (`hold`, `release,loss` …), or null when none. */
  moved: string | null;
  occurred_at: Date;
  received_at: CreatedAt;
}

export interface Database {
  disputes: DisputesTable;
  dispute_events: DisputeEventsTable;
  saved_cards: SavedCardsTable;
  simulator_card_tokens: SimulatorCardTokensTable;
  card_testing_slots: CardTestingSlotsTable;
  payouts: PayoutsTable;
  payout_events: PayoutEventsTable;
  simulator_payouts: SimulatorPayoutsTable;
  ledger_postings: LedgerPostingsTable;
  ledger_entries: LedgerEntriesTable;
  refunds: RefundsTable;
  simulator_authorizations: SimulatorAuthorizationsTable;
  simulator_charges: SimulatorChargesTable;
  simulator_refunds: SimulatorRefundsTable;
  payment_attempts: PaymentAttemptsTable;
  jobs: JobsTable;
  notification_attempts: NotificationAttemptsTable;
  merchants: MerchantsTable;
  rate_limits: RateLimitsTable;
  orders: OrdersTable;
  order_keys: OrderKeysTable;
  order_events: OrderEventsTable;
  admins: AdminsTable;
  login_counters: LoginCountersTable;
  login_known_addresses: LoginKnownAddressesTable;
  acquirer_events: AcquirerEventsTable;
  audit_log: AuditLogTable;
}

/** Each processor event (webhook) stored once: a duplicate insert is how a replay is noticed. */
export interface AcquirerEventsTable {
  /** A connector with a webhook (src/acquirers/index.ts). */
  acquirer: ProcessorName;
  event_id: string;
  type: string;
  reference: string | null;
  received_at: CreatedAt;
  /** The order of the attempt or refund the event named, when it named one of ours. */
  order_no: ColumnType<string | null, string | null | undefined, string | null>;
  /** What did not match what we sent (domain/event-match.ts); null when it matched or named nothing of ours. */
  mismatch: ColumnType<Mismatch[] | null, string | null | undefined, string | null>;
  /** Signed but not understood: why. */
  unreadable: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One console action or login try (migration 0026); a trigger refuses UPDATE and DELETE. */
export interface AuditLogTable {
  id: Generated<string>;
  at: CreatedAt;
  actor_id: number | null;
  actor_email: string;
  actor_role: AuditActorRole;
  /** The merchant the action concerned, so a merchant user sees its own rows. */
  merchant_no: string | null;
  ip: string;
  action: string;
  target: string | null;
  outcome: 'ok' | 'refused';
  before_value: unknown;
  after_value: unknown;
}
