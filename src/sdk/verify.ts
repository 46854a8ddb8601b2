import { hasValidSign, type SignedFields } from './sign.ts';
import { PayrailSignatureError } from './errors.ts';
import type { Notification, ReturnParameters } from './types.ts';

const asSecrets = (secrets: string | readonly string[]) => (typeof secrets === 'string' ? [secrets] : secrets);

/**
 * Checks a notification the gateway POSTed to your `notifyUrl` and answers it typed.
 * `body` is the raw request body (string or Buffer) or the parsed object. `secrets` are the
 * app secrets you accept: during a rotation, the new and the old one. Throws
 * `PayrailSignatureError` when the sign matches none of them; then answer anything but `OK`.
 */
export function verifyNotification(body: string | Uint8Array | object, secrets: string | readonly string[]): Notification {
  let fields: unknown = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    try {
      fields = JSON.parse(text);
    } catch {
      throw new PayrailSignatureError('the notification body is not JSON');
    }
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new PayrailSignatureError('the notification body is not a JSON object');
  }
  if (!hasValidSign(fields as SignedFields, asSecrets(secrets))) {
    throw new PayrailSignatureError('the notification sign does not match any of the given secrets');
  }
  return fields as Notification;
}

/** The fields the gateway appends to your `returnUrl` and signs, in the order it writes them. */
const RETURN_FIELDS = ['tradeNo', 'platFormTradeNo', 'status', 'timestamp', 'signType'] as const;

/**
 * Checks the query the gateway appended to your `returnUrl` after a payment and answers it.
 * Only `tradeNo`, `platFormTradeNo`, `status`, `timestamp` (and `signType`) are signed; your
 * own query parameters are ignored. The redirect is not proof of payment: the notification and
 * the query are.
 */
export function verifyReturnUrl(url: string | URL, secrets: string | readonly string[]): ReturnParameters {
  const query = new URL(url).searchParams;
  const fields: Record<string, string> = {};
  for (const name of RETURN_FIELDS) {
    const value = query.get(name);
    if (value !== null) fields[name] = value;
  }
  const sign = query.get('sign') ?? '';
  if (!fields.tradeNo || !fields.platFormTradeNo || !fields.status || !fields.timestamp) {
    throw new PayrailSignatureError('the return URL lacks tradeNo, platFormTradeNo, status or timestamp');
  }
  if (!hasValidSign({ ...fields, sign }, asSecrets(secrets))) {
    throw new PayrailSignatureError('the return URL sign does not match any of the given secrets');
  }
  return {
    tradeNo: fields.tradeNo,
    platFormTradeNo: fields.platFormTradeNo,
    status: fields.status,
    timestamp: fields.timestamp,
  };
}
