import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv.ts';

describe('CSV cells', () => {
  it('are written as they are when plain', () => {
    expect(csvLine(['abc', 12, null, undefined, '300.00'])).toBe('abc,12,,,300.00\r\n');
  });

  it('are quoted when they hold a comma, a quote or a line break, with quotes doubled', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('never start with a character a spreadsheet reads as a formula', () => {
    for (const formula of ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      const cell = csvCell(formula);
      expect(cell.replace(/^"/, '')).toMatch(/^'/);
    }
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('-1+2')).toBe(`'-1+2`);
  });

  it('leave a plain negative number alone, so amounts stay numbers', () => {
    expect(csvCell('-10.00')).toBe('-10.00');
    expect(csvCell(-3)).toBe('-3');
  });
});
