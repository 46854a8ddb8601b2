import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The repository's own Markdown cites only what the repository ships: every relative link names a
 * file that git tracks (and, with a #fragment, a heading or anchor in it), and every "section N"
 * names a document that has a section N.
 */
const documents = execFileSync('git', ['ls-files', '*.md'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !file.startsWith('node_modules/'));
const shipped = new Set(execFileSync('git', ['ls-files'], { encoding: 'utf8' }).split('\n'));

/** GitHub's heading ids: lowercase, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of withoutCode(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = heading!
      .replace(/`|\*\*|\*|_(?=\w)|(?<=\w)_/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const [, id] of markdown.matchAll(/<a (?:id|name)="([^"]+)"/g)) anchors.add(id!);
  return anchors;
}

/** Fenced code blocks and inline code are not prose: a `[x](y)` or "section 2" inside them is an example. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

function linksOf(markdown: string): string[] {
  const prose = withoutCode(markdown);
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(([, target]) => target!);
  const references = [...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map(([, target]) => target!);
  const html = [...prose.matchAll(/<(?:a|img)\s[^>]*(?:href|src)="([^"]+)"/g)].map(([, target]) => target!);
  return [...inline, ...references, ...html];
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

describe('the repository\'s Markdown', () => {
  it('finds the documents to check', () => {
    expect(documents).toEqual(expect.arrayContaining(['README.md', 'ARCHITECTURE.md', 'docs/api.md']));
  });

  it.each(documents)('%s: every relative link resolves to a shipped file and heading', (document) => {
    const markdown = fs.readFileSync(document, 'utf8');
    const broken: string[] = [];
    for (const target of linksOf(markdown)) {
      if (isExternal(target)) continue;
      const [file, fragment] = target.split('#') as [string, string | undefined];
      const resolved = file === '' ? document : path.posix.normalize(path.posix.join(path.posix.dirname(document), decodeURI(file)));
      const isFolder = [...shipped].some((shippedFile) => shippedFile.startsWith(`${resolved.replace(/\/$/, '')}/`));
      if (!shipped.has(resolved) && !isFolder) {
        broken.push(`${target}: ${resolved} is not a file the repository ships`);
        continue;
      }
      if (fragment !== undefined && resolved.endsWith('.md') && !anchorsOf(fs.readFileSync(resolved, 'utf8')).has(decodeURIComponent(fragment))) {
        broken.push(`${target}: ${resolved} has no heading or anchor #${fragment}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(documents)('%s: every "section N" names a shipped document that has that section', (document) => {
    const prose = withoutCode(fs.readFileSync(document, 'utf8'));
    const unresolved: string[] = [];
    for (const match of prose.matchAll(/\bsections?\s+(\d+(?:\.\d+)*)/gi)) {
      // The document cited is the nearest link before the phrase on its line, else this document.
      const line = prose.slice(prose.lastIndexOf('\n', match.index) + 1, match.index);
      const cited = [...line.matchAll(/\]\(([^)#\s]+\.md)(?:#[^)]*)?\)/g)].pop()?.[1];
      const target = cited === undefined ? document : path.posix.normalize(path.posix.join(path.posix.dirname(document), cited));
      const numbered = shipped.has(target) && new RegExp(`^#{1,6}\\s+${match[1]!.replace(/\./g, '\\.')}[.\\s]`, 'm').test(fs.readFileSync(target, 'utf8'));
      if (!numbered) unresolved.push(`"${match[0]}" (cites ${target}, which has no section ${match[1]})`);
    }
    expect(unresolved).toEqual([]);
  });
});

describe('what the repository cites by file name', () => {
  it('names only Markdown files it ships, in docs, comments and the OpenAPI descriptions alike', () => {
    const shippedNames = new Set([...shipped].filter((file) => file.endsWith('.md')).map((file) => path.posix.basename(file)));
    const sources = [...shipped].filter((file) => /\.(md|ts|js)$/.test(file) && !file.startsWith('test/docs/links.test.ts') && fs.existsSync(file));
    const unshipped: string[] = [];
    for (const file of sources) {
      for (const [name] of fs.readFileSync(file, 'utf8').matchAll(/\b[A-Za-z][\w-]*\.md\b/g)) {
        if (!shippedNames.has(name)) unshipped.push(`${file}: ${name}`);
      }
    }
    expect(unshipped).toEqual([]);
  });
});
