import { BusinessCode, PayrailError } from '../domain/errors.ts';

export interface Envelope<T> {
  msg: string;
  code: BusinessCode;
  timestamp: number;
  success: boolean;
  data: T | null;
}

export const success = <T>(data: T): Envelope<T> => ({
  msg: 'success',
  code: BusinessCode.Success,
  timestamp: Date.now(),
  success: true,
  data,
});

export const failure = (error: PayrailError): Envelope<never> => ({
  msg: error.message,
  code: error.code,
  timestamp: Date.now(),
  success: false,
  data: null,
});

/**
 * The one table from business code to HTTP status. Business errors travel with HTTP 200, as the
 * provider family does; only transport faults and our own faults get another status.
 */
const HTTP_STATUS: Partial<Record<BusinessCode, number>> = {
  [BusinessCode.SystemError]: 500,
  [BusinessCode.RateLimited]: 429,
};

export const httpStatusOf = (code: BusinessCode) => HTTP_STATUS[code] ?? 200;

/** Anything that is not a PayrailError is our fault: the caller learns nothing of internals. */
export const systemError = () =>
  new PayrailError(BusinessCode.SystemError, 'system error; the state of the order is unknown, query it');
