import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLogger } from './logger.ts';
import { prettyDestination, prettyLine } from './log-format.ts';

describe('prettyLine', () => {
  it('writes time, level, message and the fields as key=value', () => {
    const line = JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 2, 14, 2, 3), pid: 1, hostname: 'h', msg: 'payrail started', url: 'http://localhost:8080', database: 'embedded' });
    expect(prettyLine(line)).toBe('14:02:03 INFO  payrail started  url=http://localhost:8080 database=embedded\n');
  });

  it('puts an error\'s stack under its line, and quotes values with spaces', () => {
    const line = JSON.stringify({ level: 50, time: 0, msg: 'job failed', reason: 'no answer', err: { message: 'boom', stack: 'Error: boom\n    at x' } });
    expect(prettyLine(line)).toBe('00:00:00 ERROR job failed  reason="no answer"\n    Error: boom\n        at x\n');
  });

  it('passes anything that is not a JSON object through, and never throws', () => {
    expect(prettyLine('plain text')).toBe('plain text\n');
    fc.assert(fc.property(fc.string(), (text) => prettyLine(text).endsWith('\n')));
    fc.assert(fc.property(fc.jsonValue(), (value) => prettyLine(JSON.stringify(value)).endsWith('\n')));
  });

  it('keeps redaction: a secret logged through the pretty destination is masked', () => {
    const written: string[] = [];
    const log = createLogger('info', prettyDestination({ write: (chunk: string) => written.push(chunk) } as unknown as NodeJS.WritableStream));
    log.info({ appSecret: 'sk-very-secret', merchantNo: '1234567890' }, 'merchant created');
    expect(written.join('')).toMatch(/INFO  merchant created  appSecret=\[redacted\] merchantNo=1234567890\n$/);
    expect(written.join('')).not.toContain('sk-very-secret');
  });
});
