import pino, { type Logger } from 'pino';
import { prettyDestination } from './log-format.ts';

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

/**
 * The process's logger: JSON lines (one object per line, for collectors), or lines a person reads
 * when standard output is a terminal (`log-format.ts`). Redaction applies to both.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const out = destination ?? (process.stdout.isTTY ? prettyDestination(process.stdout) : undefined);
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, out);
}
