/**
 * `npx tsx bench/profile-summary.ts FILE.cpuprofile [TOP]`: where a sampled CPU profile (what
 * `node --cpu-prof` or bench:pay-cpu's `PROFILE=dir` writes) spent the thread's busy samples.
 *
 * - by part: each sample given to the first package or source file on its stack, counted from
 *   the running function outwards, past Node's internals (so a socket write counts for whoever
 *   asked for it: pg, Fastify), then summed into the parts docs/performance.md names;
 * - by function: the running function itself (self time);
 * - our code: each of our functions with everything it called (inclusive).
 *
 * Shares are of the busy samples (idle ones left out). TOP (default 25) lines per list.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

/** The package (`pg`, `@fastify/csrf`), our source file (`src/web/html.ts`), `node:internal`, or V8's own entry. */
function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  if (url.startsWith('node:')) return 'node:internal';
  const ours = /\/((?:src|bench|test)\/.*)$/.exec(url);
  return ours ? ours[1]! : url;
}

const PARTS: [string, (owner: string) => boolean][] = [
  ['pg driver, src/db', (o) => /^(pg|pg-protocol|pg-pool|pg-types|postgres-date|postgres-array|postgres-bytea|postgres-interval|pg-int8)$/.test(o) || o.startsWith('src/db/')],
  ['Kysely, src/store', (o) => o === 'kysely' || o.startsWith('src/store/')],
  ['Fastify and its plugins', (o) => /^(fastify|find-my-way|@fastify\/|fast-querystring|cookie|proxy-addr|avvio|fast-json-stringify|secure-json-parse|toad-cache|fast-decode-uri-component|forwarded|ipaddr\.js)/.test(o)],
  ['pages (src/cashier, src/web, src/i18n)', (o) => /^src\/(cashier|web|i18n)\//.test(o)],
  ['payment, connectors, domain', (o) => /^src\/(payments|acquirers|domain)\//.test(o)],
  ['pino', (o) => /^(pino|@pinojs\/|sonic-boom|quick-format-unescaped|atomic-sleep)/.test(o) || o === 'src/logger.ts'],
  ['metrics (prom-client, src/probes.ts)', (o) => /^(prom-client|bintrees|tdigest)$/.test(o) || o === 'src/probes.ts'],
  ['Node internals', (o) => o === 'node:internal' || o === '(native)' || o === '(root)'],
  ['GC, (program)', (o) => o === '(garbage collector)' || o === '(program)'],
];

function summarize(profile: Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const byOwner = new Map<string, number>();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  for (const sample of profile.samples) {
    const leaf = byId.get(sample)!;
    if (leaf.callFrame.functionName === '(idle)') continue;
    busy++;
    const name = (frame: ProfileNode['callFrame'], owner: string) => `${frame.functionName || '(anonymous)'} ${owner}:${frame.lineNumber + 1}`;
    add(self, name(leaf.callFrame, ownerOf(leaf.callFrame.url, leaf.callFrame.functionName)));
    let first: string | undefined;
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parentOf.get(id)) {
      const frame = byId.get(id)!.callFrame;
      const owner = ownerOf(frame.url, frame.functionName);
      if (!first && owner !== 'node:internal' && owner !== '(native)' && owner !== '(root)') first = owner;
      if (/^(src|bench)\//.test(owner)) {
        const key = name(frame, owner);
        if (!seen.has(key)) add(inclusive, key);
        seen.add(key);
      }
    }
    add(byOwner, first ?? ownerOf(leaf.callFrame.url, leaf.callFrame.functionName));
  }
  const byPart = new Map<string, number>();
  for (const [owner, count] of byOwner) {
    const part = PARTS.find(([, test]) => test(owner))?.[0] ?? `other: ${owner}`;
    byPart.set(part, (byPart.get(part) ?? 0) + count);
  }
  return { busy, byPart, byOwner, self, inclusive };
}

function print(title: string, counts: Map<string, number>, busy: number, top: number) {
  console.log(`--- ${title}`);
  for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * count) / busy).toFixed(1).padStart(5)} %  ${key}`);
}

const [file, top = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [TOP]');
const summary = summarize(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile);
console.log(`${summary.busy} busy samples`);
print('by part (first package or file on the stack)', summary.byPart, summary.busy, Number(top));
print('by package or file', summary.byOwner, summary.busy, Number(top));
print('by function (self)', summary.self, summary.busy, Number(top));
print('our code (inclusive)', summary.inclusive, summary.busy, Number(top));
