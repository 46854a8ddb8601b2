import { createHmac, timingSafeEqual } from 'node:crypto';
import { holdsNul, minorUnits, storableText, unreadableEvent, type ProcessorEvent, type RefusedWebhook } from '../processor-event.ts';
import { declineReasonOf } from './map-status.ts';
import { isAdyenDisputeEvent, readAdyenDispute } from './read-dispute.ts';
import { isJsonObject } from '../json.ts';

/**
 * Adyen's standard webhooks (https://docs.adyen.com/development-resources/webhooks/webhook-types,
 * https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures): a batch of
 * `NotificationRequestItem`s, each signed with HMAC-SHA256 over
 * `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`
 * with the hex key, Base64 in `additionalData.hmacSignature`. One item that does not verify
 * refuses the batch. The body is untrusted JSON: nothing here assumes a field's type.
 */
export interface NotificationItem {
  pspReference?: string;
  originalReference?: string;
  merchantAccountCode?: string;
  merchantReference?: string;
  amount?: { value?: number; currency?: string };
  eventCode?: string;
  success?: string;
  reason?: string;
  additionalData?: { hmacSignature?: string };
}

type Json = Record<string, unknown>;
/** A field as it enters the signing string: strings and numbers as written, anything else empty. */
const signed = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

export function signingString(item: NotificationItem | Json): string {
  const amount = isJsonObject(item.amount) ? item.amount : {};
  return [item.pspReference, item.originalReference, item.merchantAccountCode, item.merchantReference, amount.value, amount.currency, item.eventCode, item.success]
    .map(signed)
    .join(':');
}

export const signItem = (item: NotificationItem | Json, hexKey: string) =>
  createHmac('sha256', Buffer.from(hexKey, 'hex')).update(signingString(item), 'utf8').digest('base64');

function verified(item: Json, hexKey: string): boolean {
  const signature = isJsonObject(item.additionalData) ? item.additionalData.hmacSignature : undefined;
  if (typeof signature !== 'string') return false;
  const given = Buffer.from(signature, 'base64');
  const expected = Buffer.from(signItem(item, hexKey), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Never throws: a batch with an item that does not verify is refused; a signed item we cannot read is an unreadable event. */
export function readAdyenNotification(body: unknown, hexKey: string, nowMs = Date.now()): ProcessorEvent<'adyen'>[] | RefusedWebhook {
  const items = isJsonObject(body) ? body.notificationItems : undefined;
  if (!Array.isArray(items) || items.length === 0 || items.length > 100) return { refused: 'not an Adyen notification batch' };
  const events: ProcessorEvent<'adyen'>[] = [];
  for (const wrapper of items) {
    const item = isJsonObject(wrapper) ? wrapper.NotificationRequestItem : undefined;
    if (!isJsonObject(item)) return { refused: 'an item is not a NotificationRequestItem' };
    if (!verified(item, hexKey)) return { refused: 'an item HMAC signature did not verify' };
    events.push(eventOf(item, nowMs));
  }
  return events;
}

function eventOf(item: Json, nowMs: number): ProcessorEvent<'adyen'> {
  const psp = storableText(item.pspReference);
  const eventCode = storableText(item.eventCode);
  const success = item.success === 'true' ? 'true' : item.success === 'false' ? 'false' : undefined;
  if (!psp || !eventCode || holdsNul(item)) return unreadableEvent('adyen', signingString(item), 'an item without a readable pspReference, eventCode or success, or with a NUL character');
  // Each part is at most MAX_EVENT_TEXT long, so the id stays well within an index key.
  const base = { acquirer: 'adyen' as const, id: `${psp}:${eventCode}:${success ?? ''}`, type: eventCode };
  // A dispute is matched by the payment it disputes (originalReference), whatever merchantReference says.
  if (isAdyenDisputeEvent(eventCode) && success === 'true') {
    const read = readAdyenDispute(item, nowMs);
    return 'dispute' in read ? { ...base, settles: { kind: 'dispute', dispute: read.dispute } } : { ...base, unreadable: read.unreadable };
  }
  if (item.merchantReference === undefined || item.merchantReference === '') return base;
  const reference = storableText(item.merchantReference);
  if (!reference || !success) return { ...base, unreadable: 'an item whose merchantReference or success we cannot read' };
  const amount = isJsonObject(item.amount) ? item.amount : {};
  const says = { amount: minorUnits(amount.value), currency: storableText(amount.currency) };
  switch (eventCode) {
    case 'AUTHORISATION':
      return {
        ...base,
        settles: {
          kind: 'attempt',
          attemptId: reference,
          answer: success === 'true' ? { outcome: 'approved', reference: psp } : { outcome: 'declined', reason: declineReasonOf(undefined, typeof item.reason === 'string' ? item.reason : undefined) },
          says: { ...says, payment: psp },
        },
      };
    case 'REFUND':
      return {
        ...base,
        settles: {
          kind: 'refund',
          refundId: reference,
          answer: success === 'true' ? { outcome: 'succeeded', reference: psp } : { outcome: 'failed', reason: 'PROCESSING_ERROR' },
          says: { ...says, refund: psp, payment: storableText(item.originalReference) },
        },
      };
    default:
      return base;
  }
}
