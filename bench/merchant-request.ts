import { signBody, type WireBody } from '../src/domain/signature.ts';

/** A merchant as the bench signs for it. */
export interface BenchMerchant {
  merchantNo: string;
  appSecret: string;
}

let counter = 0;

/** A unique tradeNo per process: the load process and the main process never share one. */
export const uniqueTradeNo = () => `B${process.pid}${Date.now().toString(36)}${(counter += 1).toString(36)}`;

/** The fields of a valid create-checkout request, as a merchant would send them. */
export function checkoutFields(overrides: WireBody = {}): WireBody {
  return {
    tradeNo: uniqueTradeNo(),
    amount: '300.00',
    mobile: '918234567890',
    email: 'buyer@example.com',
    userId: 'bench',
    currency: 'USD',
    notifyUrl: 'https://merchant.example/notify',
    returnUrl: 'https://merchant.example/return',
    remark: 'bench order',
    ...overrides,
  };
}

/** The JSON text of a signed request (MD5, suffix: the merchant defaults) with a fresh timestamp. */
export function signedJson(merchant: BenchMerchant, fields: WireBody): string {
  const body: WireBody = { timestamp: String(Date.now()), ...fields };
  body.sign = signBody(body, merchant.appSecret, { signType: 'MD5', placement: 'suffix' });
  return JSON.stringify(body);
}

export const merchantHeaders = (merchant: BenchMerchant) => ({ 'content-type': 'application/json', merchantNo: merchant.merchantNo });
