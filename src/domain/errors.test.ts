import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BusinessCode, ERROR_CATALOGUE } from './errors.ts';

const apiGuide = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

/** The rows of the "Business codes" table of docs/api.md: code → its HTTP and meaning cells. */
function documentedCodes(): Map<string, { http: string; meaning: string }> {
  const section = apiGuide.slice(apiGuide.indexOf('## Business codes'));
  const rows = new Map<string, { http: string; meaning: string }>();
  for (const line of section.slice(0, section.indexOf('\n## ', 1)).split('\n')) {
    const cells = /^\| `([0-9]+)` \|(.*)$/.exec(line)?.[2]?.split(' | ');
    const code = /^\| `([0-9]+)` \|/.exec(line)?.[1];
    if (code && cells) rows.set(code, { http: cells[0]!.trim(), meaning: cells[1]!.trim() });
  }
  return rows;
}

describe('the error catalogue', () => {
  it('has one entry for every business code', () => {
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual(Object.values(BusinessCode).sort());
  });

  it('is what docs/api.md documents, code by code: the same codes, HTTP statuses and meanings', () => {
    const documented = documentedCodes();
    expect([...documented.keys()]).toEqual(Object.values(BusinessCode));
    for (const code of Object.values(BusinessCode)) {
      const row = documented.get(code)!;
      expect(row.http.replace(/\*/g, '').split(',')[0], code).toBe(String(ERROR_CATALOGUE[code].http));
      expect(row.meaning, code).toBe(ERROR_CATALOGUE[code].meaning);
    }
  });

  it('sends business errors with HTTP 200; only our own fault and the rate limit use another status', () => {
    const other = Object.values(BusinessCode).filter((code) => ERROR_CATALOGUE[code].http !== 200);
    expect(other).toEqual([BusinessCode.SystemError, BusinessCode.RateLimited]);
  });
});
