import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

const PLAIN_NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * A cell a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
 * return before one) gets a leading apostrophe, so a customer's email or remark can never run
 * in the operator's spreadsheet (CSV injection). A plain number such as -10.00 is left as it is.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export const csvLine = (cells: readonly (string | number | null | undefined)[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/**
 * Sends `rows` as a CSV download, written as they are produced: the stream pulls the next row
 * only when the client has taken the previous ones, so memory stays flat however long the file.
 */
export function sendCsv<T>(reply: FastifyReply, filename: string, header: readonly string[], rows: AsyncIterable<T>, cells: (row: T) => readonly (string | number | null | undefined)[]) {
  async function* lines() {
    yield csvLine(header);
    for await (const row of rows) yield csvLine(cells(row));
  }
  return reply
    .headers({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    .send(Readable.from(lines()));
}
