import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signing as the Payrail wire contract defines it (docs/api.md, "Signature"). This file is
 * part of the merchant SDK: it imports nothing from the gateway, only node:crypto.
 */

/** A value a signed body may carry: a scalar. `undefined`, `null` and `""` are left out of the sign. */
export type SignedValue = string | number | boolean | null | undefined;
export type SignedFields = Readonly<Record<string, SignedValue>>;

export type SignType = 'MD5' | 'HMAC-SHA256';
/** Where the app secret goes in an MD5 sign: after the sign string (the usual) or before it. */
export type SaltPlacement = 'suffix' | 'prefix';

export interface SignOptions {
  signType?: SignType;
  placement?: SaltPlacement;
}

// U+0000–U+001F and U+007F–U+009F: the gateway refuses them in signed strings (8002).
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

function valueText(key: string, value: SignedValue): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    if (CONTROL_CHARACTER.test(value)) throw new TypeError(`${key} must not contain control characters`);
    return value;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    // JSON.stringify writes a finite number exactly as String() does, so the gateway reads
    // the same text that is signed here.
    if (!Number.isFinite(value)) throw new TypeError(`${key} must be a finite number`);
    return String(value);
  }
  throw new TypeError(`${key} must be a string, number or boolean, not an object or array`);
}

/**
 * The sign string: every field but `sign`, without empty ones, sorted by UTF-16 code units,
 * written `key=value` with no separator.
 */
export function buildSignString(fields: SignedFields): string {
  return Object.keys(fields)
    .filter((key) => key !== 'sign')
    .sort()
    .flatMap((key) => {
      const text = valueText(key, fields[key]);
      return text === undefined ? [] : [`${key}=${text}`];
    })
    .join('');
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** The `sign` of a body: MD5 salted with the secret (suffix by default), or HMAC-SHA256. */
export function computeSign(fields: SignedFields, appSecret: string, options: SignOptions = {}): string {
  const text = buildSignString(fields);
  if (options.signType === 'HMAC-SHA256') return createHmac('sha256', appSecret).update(text, 'utf8').digest('hex');
  return options.placement === 'prefix' ? md5(appSecret + text) : md5(text + appSecret);
}

/**
 * A request body ready to send: the fields, a `timestamp` (now, in milliseconds) unless one is
 * given, `signType` when HMAC-SHA256 is asked for, and `sign`.
 */
export function signRequest<T extends SignedFields>(
  fields: T,
  appSecret: string,
  options: SignOptions & { now?: () => number } = {},
): T & { timestamp: SignedValue; sign: string } {
  const body: Record<string, SignedValue> = { ...fields };
  delete body.sign;
  if (body.timestamp === undefined || body.timestamp === null || body.timestamp === '') {
    body.timestamp = String((options.now ?? Date.now)());
  }
  if (options.signType === 'HMAC-SHA256') body.signType = 'HMAC-SHA256';
  else if (body.signType === 'HMAC-SHA256') options = { ...options, signType: 'HMAC-SHA256' };
  body.sign = computeSign(body, appSecret, options);
  return body as T & { timestamp: SignedValue; sign: string };
}

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * Whether `fields.sign` was made with one of `secrets`: HMAC-SHA256 when the fields say
 * `signType: "HMAC-SHA256"`, otherwise MD5 with the secret as suffix or prefix.
 */
export function hasValidSign(fields: SignedFields, secrets: readonly string[]): boolean {
  const given = fields.sign;
  if (typeof given !== 'string' || given === '') return false;
  const sign = given.toLowerCase();
  const hmac = fields.signType === 'HMAC-SHA256';
  let text: string;
  try {
    text = buildSignString(fields);
  } catch {
    return false;
  }
  let valid = false;
  for (const secret of secrets) {
    if (secret === '') continue;
    if (hmac) {
      valid = sameText(sign, createHmac('sha256', secret).update(text, 'utf8').digest('hex')) || valid;
    } else {
      valid = sameText(sign, md5(text + secret)) || valid;
      valid = sameText(sign, md5(secret + text)) || valid;
    }
  }
  return valid;
}
