import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BusinessCode } from '../../src/domain/errors.ts';

const errors = fs.readFileSync('docs/errors.md', 'utf8');
const api = fs.readFileSync('docs/api.md', 'utf8');
const anchors = [...errors.matchAll(/<a id="(\d{4})"><\/a>\n## (\d{4}) /g)];

describe('docs/errors.md', () => {
  it('has one anchor, right above its heading, for every error code of the gateway and of the API reference', () => {
    const documented = anchors.map(([, id, heading]) => {
      expect(heading).toBe(id);
      return id!;
    });
    expect(new Set(documented).size).toBe(documented.length);
    const gatewayCodes = Object.values(BusinessCode).filter((code) => code !== '0000');
    const businessCodes = api.slice(api.indexOf('## Business codes'), api.indexOf('\n## ', api.indexOf('## Business codes') + 3));
    const referenceCodes = [...businessCodes.matchAll(/^\| `(\d{4})` \|/gm)].map(([, code]) => code!).filter((code) => code !== '0000');
    expect(referenceCodes.length).toBeGreaterThan(10);
    for (const code of [...gatewayCodes, ...referenceCodes]) expect(documented, `errors.md lacks #${code}`).toContain(code);
  });

  it('gives every code at least one cause with its fix', () => {
    const sections = errors.split(/<a id="\d{4}"><\/a>\n/).slice(1);
    expect(sections).toHaveLength(anchors.length);
    for (const section of sections) expect(section, section.slice(0, 40)).toMatch(/\n- \*\*/);
  });

  it('is linked from the business codes of the API reference', () => {
    expect(api).toContain('[errors.md](errors.md)');
  });
});
