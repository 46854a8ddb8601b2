import { BusinessCode, ERROR_CATALOGUE, PayrailError } from '../domain/errors.ts';

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

/** The HTTP status a code travels with, from the one catalogue in domain/errors.ts. */
export const httpStatusOf = (code: BusinessCode) => ERROR_CATALOGUE[code].http;

/** Anything that is not a PayrailError is our fault: the caller learns nothing of internals. */
export const systemError = () =>
  new PayrailError(BusinessCode.SystemError, 'system error; the state of the order is unknown, query it');
