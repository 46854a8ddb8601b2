import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProcessorEvent, RefusedWebhook } from '../processor-event.ts';
import { declineReasonOf } from './map-status.ts';

/**
 * Adyen's standard webhooks (https://docs.adyen.com/development-resources/webhooks/webhook-types,
 * https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures): a batch of
 * `NotificationRequestItem`s, each signed with HMAC-SHA256 over
 * `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`
 * with the hex key, Base64 in `additionalData.hmacSignature`. One bad item refuses the batch.
 */
interface NotificationItem {
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

export function signingString(item: NotificationItem): string {
  return [
    item.pspReference ?? '',
    item.originalReference ?? '',
    item.merchantAccountCode ?? '',
    item.merchantReference ?? '',
    item.amount?.value ?? '',
    item.amount?.currency ?? '',
    item.eventCode ?? '',
    item.success ?? '',
  ].join(':');
}

export const signItem = (item: NotificationItem, hexKey: string) =>
  createHmac('sha256', Buffer.from(hexKey, 'hex')).update(signingString(item), 'utf8').digest('base64');

function verified(item: NotificationItem, hexKey: string): boolean {
  const given = Buffer.from(item.additionalData?.hmacSignature ?? '', 'base64');
  const expected = Buffer.from(signItem(item, hexKey), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function readAdyenNotification(body: unknown, hexKey: string): ProcessorEvent[] | RefusedWebhook {
  const items = (body as { notificationItems?: Array<{ NotificationRequestItem?: NotificationItem }> } | undefined)?.notificationItems;
  if (!Array.isArray(items) || items.length === 0 || items.length > 100) return { refused: 'not an Adyen notification batch' };
  const events: ProcessorEvent[] = [];
  for (const wrapper of items) {
    const item = wrapper?.NotificationRequestItem;
    if (!item || typeof item.pspReference !== 'string' || typeof item.eventCode !== 'string') return { refused: 'an item is not a NotificationRequestItem' };
    if (!verified(item, hexKey)) return { refused: 'an item HMAC signature did not verify' };
    events.push(eventOf(item));
  }
  return events;
}

function eventOf(item: NotificationItem): ProcessorEvent {
  const success = item.success === 'true';
  const base = { acquirer: 'adyen' as const, id: `${item.pspReference}:${item.eventCode}:${item.success ?? ''}`, type: item.eventCode! };
  const reference = item.merchantReference;
  if (!reference) return base;
  switch (item.eventCode) {
    case 'AUTHORISATION':
      return {
        ...base,
        settles: {
          kind: 'attempt',
          attemptId: reference,
          answer: success ? { outcome: 'approved', reference: item.pspReference! } : { outcome: 'declined', reason: declineReasonOf(undefined, item.reason) },
        },
      };
    case 'REFUND':
      return {
        ...base,
        settles: { kind: 'refund', refundId: reference, answer: success ? { outcome: 'succeeded', reference: item.pspReference! } : { outcome: 'failed', reason: 'PROCESSING_ERROR' } },
      };
    default:
      return base;
  }
}
