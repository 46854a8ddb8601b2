import { formatAmount, type SignedCents } from '../../domain/money.ts';
import { AttemptStatus } from '../../domain/attempt-status.ts';
import { JobStatus } from '../../domain/job-status.ts';
import { MerchantStatus } from '../../domain/merchant-status.ts';
import { OpenStep, OrderState, OrderStatus } from '../../domain/order-status.ts';
import { RefundStatus } from '../../domain/refund-status.ts';
import { html, type SafeHtml } from '../../web/html.ts';

/** `2030-01-02 03:04:05` in UTC, the spec's time format; empty for no time. */
export const formatTime = (time: Date | null | undefined): string => (time ? time.toISOString().replace('T', ' ').slice(0, 19) : '');

/** Cents as `300.00 USD`. */
export const formatMoney = (amountCents: SignedCents, currency = 'USD'): string => `${formatAmount(amountCents)} ${currency}`;

export const ORDER_STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  [OrderStatus.Open]: 'Open',
  [OrderStatus.Paid]: 'Paid',
  [OrderStatus.Failed]: 'Failed',
  [OrderStatus.Expired]: 'Expired',
  [OrderStatus.Closed]: 'Closed',
};

// Order and refund statuses share their codes (0000, 00029, 0015), so one entry serves both.
const TONE: Readonly<Record<string, string>> = {
  [OrderStatus.Paid]: 'good', [OrderState.Paid.desc]: 'good', succeeded: 'good', [AttemptStatus.Approved]: 'good', [JobStatus.Done]: 'good', [MerchantStatus.Active]: 'good',
  [RefundStatus.Failed]: 'bad', FAILED: 'bad', [JobStatus.Failed]: 'bad', [AttemptStatus.Declined]: 'bad', [AttemptStatus.Error]: 'bad', [MerchantStatus.Disabled]: 'bad',
  [OrderStatus.Open]: 'open', [JobStatus.Pending]: 'open', [OpenStep.Processing]: 'open', [AttemptStatus.Processing]: 'open', [AttemptStatus.Challenge]: 'open', [AttemptStatus.Unknown]: 'open',
};

/** A status pill: the text as given, coloured by what it means. */
/** Marks an order charged by the merchant without the customer (a saved card, `POST /v1/charge`). */
export const merchantInitiatedPill = html`<span class="status muted" title="charged by the merchant without the customer (POST /v1/charge)">MERCHANT-INITIATED</span>`;

export const statusPill = (key: string, text: string = key): SafeHtml => html`<span class="status ${TONE[key] ?? 'muted'}">${text}</span>`;
