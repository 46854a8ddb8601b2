import type { DestinationStream } from 'pino';

const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every pino line has, said by the line's layout rather than as key=value. */
const LAYOUT_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

const valueText = (value: unknown): string => {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
};

/**
 * One pino JSON line as a person reads it in a terminal: `14:02:03 INFO  payrail started
 * url=http://… database=embedded`, an error's stack on the lines below. Fields were already
 * redacted by pino. A line that is not JSON is passed through as it is.
 */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return line.endsWith('\n') ? line : `${line}\n`;
    entry = parsed as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '--:--:--';
  const level = (LEVELS[entry.level as number] ?? String(entry.level ?? '')).padEnd(5);
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  const err = entry.err as { message?: unknown; stack?: unknown } | undefined;
  const fields = Object.entries(entry)
    .filter(([key]) => !LAYOUT_FIELDS.has(key) && key !== 'err')
    .map(([key, value]) => `${key}=${valueText(value)}`);
  const stack = err && typeof err === 'object' ? `\n    ${String(err.stack ?? err.message ?? JSON.stringify(err)).replaceAll('\n', '\n    ')}` : '';
  return `${time} ${level} ${message}${fields.length ? `  ${fields.join(' ')}` : ''}${stack}\n`;
}

/** A pino destination that writes each line as `prettyLine` tells it, for a terminal. */
export const prettyDestination = (out: NodeJS.WritableStream = process.stdout): DestinationStream => ({
  write(line: string) {
    out.write(prettyLine(line.endsWith('\n') ? line.slice(0, -1) : line));
  },
});
