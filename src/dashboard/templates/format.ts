import { formatAmount } from '../../domain/money.ts';
import type { OrderStatus } from '../../domain/order-status.ts';
import { html, type SafeHtml } from '../../web/html.ts';

/** `2030-01-02 03:04:05` in UTC, the spec's time format; empty for no time. */
export const formatTime = (time: Date | null | undefined): string => (time ? time.toISOString().replace('T', ' ').slice(0, 19) : '');

/** Cents as `300.00 USD`. */
export const formatMoney = (amountCents: number, currency = 'USD'): string => `${formatAmount(amountCents)} ${currency}`;

export const ORDER_STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  '0015': 'Open',
  '0000': 'Paid',
  '00029': 'Failed',
  '00030': 'Expired',
  '00031': 'Closed',
};

const TONE: Readonly<Record<string, string>> = {
  '0000': 'good', SUCCESS: 'good', succeeded: 'good', approved: 'good', done: 'good', active: 'good',
  '00029': 'bad', FAILED: 'bad', failed: 'bad', declined: 'bad', error: 'bad', disabled: 'bad',
  '0015': 'open', pending: 'open', PROCESSING: 'open', processing: 'open', challenge: 'open', unknown: 'open',
};

/** A status pill: the text as given, coloured by what it means. */
export const statusPill = (key: string, text: string = key): SafeHtml => html`<span class="status ${TONE[key] ?? 'muted'}">${text}</span>`;
