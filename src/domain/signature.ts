import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { LosslessNumber } from 'lossless-json';
import { BusinessCode, PayrailError, invalidParameter, missingParameter } from './errors.ts';
import type { Secret } from './secret.ts';

/**
 * A JSON number kept as the text the merchant wrote, so that `1724142041682` or `1.50` sign
 * exactly as written: lossless-json's LosslessNumber, made only by its parser (or `new`).
 */
export type NumberText = LosslessNumber;

export type WireValue = string | boolean | null | NumberText | WireValue[] | { [key: string]: WireValue };
export type WireBody = Record<string, WireValue>;

/** Where the app secret goes when salting an MD5 sign. */
export type SaltPlacement = 'suffix' | 'prefix';
export type SignType = 'MD5' | 'HMAC-SHA256';

export const HMAC_SIGN_TYPE = 'HMAC-SHA256';

// U+0000–U+001F and U+007F–U+009F
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Only a real number from the parser counts: a body object such as
 * `{"isLosslessNumber":true,"value":"1"}` has the same properties but is an object, refused as such.
 */
export const isNumberText = (value: unknown): value is NumberText => value instanceof LosslessNumber;

/** A string, or a number as the merchant wrote it; undefined for anything else. */
export const textOf = (value: WireValue | undefined): string | undefined =>
  typeof value === 'string' ? value : isNumberText(value) ? value.value : undefined;

/** The text a scalar contributes to the sign string, or undefined when it is left out. */
function signedText(key: string, value: WireValue): string | undefined {
  if (value === null || value === '') return undefined;
  if (typeof value === 'string') {
    if (CONTROL_CHARACTER.test(value)) throw invalidParameter(key, 'must not contain control characters');
    return value;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isNumberText(value)) return value.value;
  throw invalidParameter(key, 'must be a string, number or boolean, not an object or array');
}

/**
 * The string that is signed: every top-level field but `sign` (and those in `exclude`),
 * without null or empty values, sorted by UTF-16 code units, as `key=value` with no separator.
 */
export function buildSignString(body: WireBody, exclude: ReadonlySet<string> = new Set()): string {
  const parts: string[] = [];
  for (const key of Object.keys(body).sort()) {
    if (key === 'sign' || exclude.has(key)) continue;
    const text = signedText(key, body[key] as WireValue);
    if (text !== undefined) parts.push(`${key}=${text}`);
  }
  return parts.join('');
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** An app secret: wrapped in Secret<string> wherever it comes from the database, revealed only to sign. */
export type AppSecret = string | Secret<string>;

export function signString(
  signed: string,
  appSecret: AppSecret,
  options: { signType: SignType; placement: SaltPlacement },
): string {
  const secret = typeof appSecret === 'string' ? appSecret : appSecret.reveal();
  if (options.signType === HMAC_SIGN_TYPE) return createHmac('sha256', secret).update(signed, 'utf8').digest('hex');
  return options.placement === 'prefix' ? md5(secret + signed) : md5(signed + secret);
}

/** Signs a body we send (a notification, a redirect query). */
export function signBody(
  body: WireBody,
  secret: AppSecret,
  options: { signType: SignType; placement: SaltPlacement },
): string {
  return signString(buildSignString(body), secret, options);
}

const sameHex = (a: string, b: string) => {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
};

export interface VerifyOptions {
  /** Secrets currently accepted: the active one and, during a rotation's grace, the previous one. */
  secrets: readonly AppSecret[];
  /** When true the merchant only accepts HMAC-SHA256 signs. */
  requireHmac: boolean;
}

/**
 * Checks the `sign` of an incoming body and answers the sign type that matched, so that the
 * gateway can answer in kind. MD5 signs are accepted with the secret as suffix or as prefix.
 */
export function verifyBody(body: WireBody, options: VerifyOptions): SignType {
  const sign = body.sign;
  if (sign === undefined || sign === null || sign === '') throw missingParameter('sign');
  if (typeof sign !== 'string') throw invalidParameter('sign', 'must be a string');

  const signType = readSignType(body.signType);
  if (options.requireHmac && signType !== HMAC_SIGN_TYPE) {
    throw new PayrailError(BusinessCode.SignatureInvalid, 'this merchant requires signType HMAC-SHA256');
  }
  const signed = buildSignString(body);
  const given = sign.toLowerCase();
  for (const secret of options.secrets) {
    if (signType === HMAC_SIGN_TYPE) {
      if (sameHex(given, signString(signed, secret, { signType, placement: 'suffix' }))) return signType;
    } else {
      const suffix = sameHex(given, signString(signed, secret, { signType, placement: 'suffix' }));
      const prefix = sameHex(given, signString(signed, secret, { signType, placement: 'prefix' }));
      if (suffix || prefix) return signType;
    }
  }
  throw new PayrailError(BusinessCode.SignatureInvalid, 'sign does not match the request');
}

function readSignType(value: WireValue | undefined): SignType {
  if (value === undefined || value === null || value === '' || value === 'MD5') return 'MD5';
  if (value === HMAC_SIGN_TYPE) return HMAC_SIGN_TYPE;
  throw invalidParameter('signType', 'must be MD5 or HMAC-SHA256');
}

/** Reads `timestamp` (milliseconds, number or numeric string) and checks it against the clock. */
export function checkTimestamp(value: WireValue | undefined, nowMs: number, windowSeconds: number): number {
  if (value === undefined || value === null || value === '') throw missingParameter('timestamp');
  const text = textOf(value);
  if (text === undefined || !/^[0-9]{1,15}$/.test(text)) {
    throw invalidParameter('timestamp', 'must be milliseconds since the epoch, such as 1724142041682');
  }
  const timestamp = Number(text);
  if (windowSeconds > 0 && Math.abs(nowMs - timestamp) > windowSeconds * 1000) {
    // Ten digits near the clock's seconds: a client sending seconds instead of milliseconds
    const looksLikeSeconds = Math.abs(nowMs / 1000 - timestamp) <= Math.max(windowSeconds, 86_400);
    throw new PayrailError(
      BusinessCode.TimestampOutsideWindow,
      `timestamp is more than ${windowSeconds} seconds away from the server clock` +
        (looksLikeSeconds ? '; it looks like seconds, but milliseconds since the epoch are expected (such as 1724142041682)' : ''),
    );
  }
  return timestamp;
}
