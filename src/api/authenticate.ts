import type { FastifyRequest } from 'fastify';
import type { GatewayContext } from '../context.ts';
import { BusinessCode, PayrailError, invalidParameter, missingParameter } from '../domain/errors.ts';
import { checkTimestamp, verifyBody, type SignType, type WireBody } from '../domain/signature.ts';
import { activeSecret, markActiveSecretUsed, rememberSignType, rotationPending, type MerchantRow } from '../store/merchants.ts';
import { MerchantStatus } from '../domain/merchant-status.ts';
import { MERCHANT_NO_FORM as MERCHANT_NO } from '../domain/ids.ts';

export interface AuthenticatedRequest {
  readonly merchant: MerchantRow;
  readonly body: WireBody;
  readonly signType: SignType;
}

/** 8001 says how this merchant is set to sign, so a first integration can find its mistake. */
function signHint(error: PayrailError, merchant: MerchantRow): PayrailError {
  const setTo = merchant.require_hmac
    ? 'this merchant is set to signType HMAC-SHA256 only'
    : `this merchant is set to MD5 (secret as ${merchant.salt_placement}; both placements are accepted) or HMAC-SHA256`;
  return new PayrailError(error.code, `${error.message} (${setTo})`);
}

/** Whether an already verified request was signed with the active secret rather than the previous one. */
function signedWithActive(context: GatewayContext, merchant: MerchantRow, body: WireBody): boolean {
  try {
    verifyBody(body, { secrets: [activeSecret(merchant, context.masterKey)], requireHmac: merchant.require_hmac });
    return true;
  } catch {
    return false;
  }
}

/**
 * Who is calling, and may they: the `merchantNo` header, the merchant's state, the timestamp
 * window, the sign, then the rate limit. Every merchant API operation starts here.
 */
export async function authenticate(context: GatewayContext, request: FastifyRequest): Promise<AuthenticatedRequest> {
  const body = request.body as WireBody | undefined;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new PayrailError(BusinessCode.BodyMalformed, 'body must be a JSON object');
  }
  const header = request.headers.merchantno;
  if (header === undefined || header === '') throw missingParameter('merchantNo header');
  if (typeof header !== 'string' || !MERCHANT_NO.test(header)) throw invalidParameter('merchantNo header', 'must be 10 digits');
  const inBody = body.merchantNo;
  if (inBody !== undefined && inBody !== null && inBody !== '') {
    if (typeof inBody !== 'string') throw invalidParameter('merchantNo', 'in the body must be a JSON string');
    if (inBody !== header) throw invalidParameter('merchantNo', 'in the body must equal the merchantNo header');
  }

  const now = context.now();
  const merchant = await context.merchants.get(header, now.getTime());
  if (!merchant) throw new PayrailError(BusinessCode.MerchantUnknown, `merchant ${header} is unknown`);
  if (merchant.status !== MerchantStatus.Active) throw new PayrailError(BusinessCode.MerchantDisabled, `merchant ${header} is disabled`);

  checkTimestamp(body.timestamp, now.getTime(), context.config.signWindowSeconds);
  let signType: SignType;
  try {
    signType = verifyBody(body, {
      secrets: context.merchants.acceptedSecrets(merchant, now),
      requireHmac: merchant.require_hmac,
    });
  } catch (error) {
    if (error instanceof PayrailError && error.code === BusinessCode.SignatureInvalid) throw signHint(error, merchant);
    throw error;
  }
  // Counted only once signed: whoever merely knows a merchantNo cannot use up its limit.
  if (!context.rateLimiter.allow(merchant.merchant_no, merchant.rate_limit_per_second, now.getTime())) {
    throw new PayrailError(BusinessCode.RateLimited, `rate limit of ${merchant.rate_limit_per_second} requests per second exceeded`);
  }
  if (merchant.last_sign_type !== signType) {
    await rememberSignType(context.db, merchant, signType);
    context.merchants.forget(merchant.merchant_no);
  }
  if (rotationPending(merchant, now) && signedWithActive(context, merchant, body)) {
    // From now on the gateway signs with the new secret too; every node reads it from the row.
    await markActiveSecretUsed(context.db, merchant, now);
    context.merchants.forget(merchant.merchant_no);
  }
  return { merchant, body, signType };
}
