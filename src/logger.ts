import pino, { type Logger } from 'pino';

/**
 * Second net behind the Secret type: any field with one of these names is masked, wherever it
 * sits in a log object.
 */
export const REDACTED_PATHS = [
  'appSecret', '*.appSecret', 'secret', '*.secret', 'sign', '*.sign',
  'cardNumber', '*.cardNumber', 'number', '*.number', 'pan', '*.pan', 'cvc', '*.cvc',
  'req.headers.cookie', 'req.headers.authorization', 'headers.cookie', 'body', '*.body',
  'password', '*.password', 'masterKey', '*.masterKey',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
