import type { ConsoleScope } from '../domain/console-scope.ts';
import { parseAmount, type Cents } from '../domain/money.ts';
import type { OrderStatus } from '../domain/order-status.ts';
import type { OrderFilter } from '../store/console/list-orders.ts';
import { formField } from './respond.ts';
import { ORDER_STATUS_LABELS } from './templates/format.ts';
import { MERCHANT_NO_FORM as MERCHANT_NO } from '../domain/ids.ts';

/** The order list's filter fields as typed in the form, kept to fill the form again and to build links. */
export interface OrderFilterForm {
  merchant: string;
  status: string;
  q: string;
  from: string;
  to: string;
  min: string;
  max: string;
  email: string;
  last4: string;
}

export const FILTER_FIELDS: readonly (keyof OrderFilterForm)[] = ['merchant', 'status', 'q', 'from', 'to', 'min', 'max', 'email', 'last4'];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

const isStatus = (value: string): value is OrderStatus => Object.hasOwn(ORDER_STATUS_LABELS, value);

/** A UTC day typed as 2030-01-31, as the instant it starts; undefined for anything else. */
function dayStart(text: string): Date | undefined {
  if (!DAY.test(text)) return undefined;
  const day = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text ? undefined : day;
}

function amount(text: string): Cents | undefined {
  if (!text) return undefined;
  try {
    return parseAmount(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads the order list's filters from a query string. A field that does not parse is dropped
 * and named in `ignored`, so the page can say which filters it did not apply. The merchant field
 * is only read for an operator; a merchant user's scope already is its merchant.
 */
export function parseOrderFilter(query: unknown, scope: ConsoleScope): { form: OrderFilterForm; filter: OrderFilter; ignored: string[] } {
  const form = Object.fromEntries(FILTER_FIELDS.map((name) => [name, formField(query, name).slice(0, 100)])) as unknown as OrderFilterForm;
  if (scope.kind === 'one-merchant') form.merchant = '';
  const ignored: string[] = [];
  const keep = <T>(name: keyof OrderFilterForm, value: T | undefined): T | undefined => {
    if (form[name] && value === undefined) ignored.push(name);
    return value;
  };
  const to = keep('to', dayStart(form.to));
  const filter: OrderFilter = {
    merchantNo: keep('merchant', MERCHANT_NO.test(form.merchant) ? form.merchant : undefined),
    status: keep('status', isStatus(form.status) ? form.status : undefined),
    search: form.q.slice(0, 64) || undefined,
    createdFrom: keep('from', dayStart(form.from)),
    // The "to" day is included: orders created before the next day starts.
    createdBefore: to && new Date(to.getTime() + DAY_MS),
    minCents: keep('min', amount(form.min)),
    maxCents: keep('max', amount(form.max)),
    email: form.email || undefined,
    cardLast4: keep('last4', /^[0-9]{4}$/.test(form.last4) ? form.last4 : undefined),
  };
  return { form, filter, ignored };
}

/** The query string of the form's non-empty fields, plus `extra` (a cursor). */
export function filterQuery(form: OrderFilterForm, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const name of FILTER_FIELDS) if (form[name]) query.set(name, form[name]);
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  return query.toString();
}
