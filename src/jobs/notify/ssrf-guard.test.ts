import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NotifyTargetError, resolveNotifyTarget, type ResolveHost } from './ssrf-guard.ts';
import { checkNotifyUrl, forbiddenRange } from '../../domain/merchant-url.ts';
import { BusinessCode, PayrailError } from '../../domain/errors.ts';

// A resolver that answers from a table and never touches real DNS.
const fakeDns =
  (table: Record<string, string[]>): ResolveHost =>
  async (hostname) => {
    const answers = table[hostname];
    if (answers === undefined) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const guarded = (url: string, table: Record<string, string[]> = {}) =>
  resolveNotifyTarget(url, { allowPrivate: false, resolve: fakeDns(table) });

const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NotifyTargetError) return error.message;
    throw error;
  }
  return undefined;
};

const FORBIDDEN = [
  '127.0.0.1',
  '127.255.255.254',
  '10.0.0.1',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.0.1',
  '169.254.169.254',
  '100.64.0.1',
  '100.127.255.255',
  '100.100.100.200',
  '0.0.0.0',
  '0.1.2.3',
  '255.255.255.255',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '192.0.0.192',
  '192.0.2.1',
  '198.18.0.1',
  '::',
  '::1',
  'fe80::1',
  'febf::1',
  'fc00::1',
  'fd12:3456::1',
  'fd00:ec2::254',
  'ff02::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:10.1.2.3',
  '::ffff:169.254.169.254',
  '::127.0.0.1', // IPv4-compatible (deprecated)
  '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
  '64:ff9b::808:808', // NAT64 even of a public address: the translator sits in someone's network
  '64:ff9b:1::1', // local-use NAT64
  '2002:7f00:1::', // 6to4 of 127.0.0.1
  '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
  '2001:db8::1', // documentation
  '100::1', // discard
  'fec0::1', // deprecated site-local
  'fe80::1%eth0',
  '::8.8.8.8', // IPv4-compatible, which ipaddr.js alone would misread as mapped
];

const PUBLIC = ['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e', '::ffff:8.8.8.8'];

describe('which addresses are refused', () => {
  it.each(FORBIDDEN)('refuses %s', (address) => {
    expect(forbiddenRange(address)).toBeDefined();
  });

  it.each(PUBLIC)('accepts the public address %s', (address) => {
    expect(forbiddenRange(address)).toBeUndefined();
  });

  it('names the range, so the attempt log says why', () => {
    expect(forbiddenRange('127.0.0.1')).toBe('loopback');
    expect(forbiddenRange('10.0.0.1')).toBe('private');
    expect(forbiddenRange('100.64.0.1')).toBe('carrierGradeNat');
    expect(forbiddenRange('169.254.169.254')).toBe('cloud metadata');
    expect(forbiddenRange('fd00:ec2::254')).toBe('cloud metadata');
    expect(forbiddenRange('::ffff:192.168.0.1')).toBe('IPv4-mapped private');
    expect(forbiddenRange('not-an-ip')).toBe('not an IP address');
  });
});

describe('odd spellings of IPv4 are read the way a connection would read them', () => {
  // The WHATWG URL parser turns each of these into 127.0.0.1; the guard judges the parsed host.
  it.each([
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://0x7f000001/',
    'http://127.1/',
    'http://017700000001/',
    'http://127.0.0.1./',
    'http://%31%32%37.0.0.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://0/',
  ])('refuses %s without asking DNS', async (url) => {
    const asked: string[] = [];
    const message = await refusal(
      resolveNotifyTarget(url, {
        allowPrivate: false,
        resolve: async (name) => {
          asked.push(name);
          return [];
        },
      }),
    );
    expect(message).toMatch(/not allowed/);
    expect(asked).toEqual([]);
  });

  it('reads any 32-bit number spelled in decimal, hex or octal as the same address', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), (n) => {
        const octets = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
        const dotted = octets.join('.');
        for (const spelling of [String(n), `0x${n.toString(16)}`, octets.map((o) => `0${o.toString(8)}`).join('.')]) {
          expect(new URL(`http://${spelling}/`).hostname).toBe(dotted);
        }
      }),
    );
  });
});

describe('address properties', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  const inRange = (first: number[], rest: number) =>
    fc.tuple(...Array.from({ length: rest }, () => octet)).map((tail) => [...first, ...tail].join('.'));
  const privateV4 = fc.oneof(
    inRange([127], 3),
    inRange([10], 3),
    fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([b, c, d]) => `172.${b}.${c}.${d}`),
    inRange([192, 168], 2),
    inRange([169, 254], 2),
    fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([b, c, d]) => `100.${b}.${c}.${d}`),
    fc.tuple(fc.integer({ min: 224, max: 255 }), octet, octet, octet).map((o) => o.join('.')),
    inRange([0], 3),
  );
  const anyV4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));

  it('refuses every address of the loopback, private, link-local, CGNAT, multicast and reserved blocks', () => {
    fc.assert(fc.property(privateV4, (address) => {
      expect(forbiddenRange(address)).toBeDefined();
    }));
  });

  it('judges an IPv4-mapped IPv6 address exactly like the IPv4 address it carries', () => {
    fc.assert(
      fc.property(anyV4, (address) => {
        const mapped = new URL(`http://[::ffff:${address}]/`).hostname; // e.g. [::ffff:7f00:1]
        expect(forbiddenRange(mapped) === undefined).toBe(forbiddenRange(address) === undefined);
      }),
    );
  });

  it('refuses every NAT64 and IPv4-compatible embedding, whatever IPv4 address it carries', () => {
    fc.assert(
      fc.property(anyV4, (address) => {
        expect(forbiddenRange(`64:ff9b::${address}`)).toBeDefined();
        expect(forbiddenRange(`::${address}`)).toBeDefined();
      }),
    );
  });

  it('refuses every IPv6 address outside 2000::/3', () => {
    const group = fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16));
    const outside = fc
      .tuple(fc.integer({ min: 0, max: 0xffff }).filter((g) => g < 0x2000 || g >= 0x4000), fc.array(group, { minLength: 7, maxLength: 7 }))
      .map(([first, rest]) => [first.toString(16), ...rest].join(':'))
      .filter((address) => !address.startsWith('0:0:0:0:0:ffff:'));
    fc.assert(fc.property(outside, (address) => {
      expect(forbiddenRange(address)).toBeDefined();
    }));
  });
});

describe('resolving a notify URL at delivery time', () => {
  it('answers the checked address to connect to, keeping the name for Host and TLS', async () => {
    const target = await guarded('https://merchant.example/notify?x=1', { 'merchant.example': ['93.184.215.14'] });
    expect(target).toMatchObject({ hostname: 'merchant.example', address: '93.184.215.14', family: 4 });
    expect(target.url.href).toBe('https://merchant.example/notify?x=1');
  });

  it('refuses a name that resolves to a private address', async () => {
    expect(await refusal(guarded('http://evil.example/', { 'evil.example': ['10.0.0.5'] }))).toBe(
      'evil.example resolves to 10.0.0.5 (private), which is not allowed',
    );
  });

  it('refuses a name when any one of its addresses is private, not only the first', async () => {
    const table = { 'mixed.example': ['93.184.215.14', '2606:4700::1', '127.0.0.1'] };
    expect(await refusal(guarded('http://mixed.example/', table))).toMatch(/127\.0\.0\.1 \(loopback\)/);
  });

  it('refuses names resolving to the metadata service, IPv6 loopback and mapped addresses', async () => {
    const table = {
      'meta.example': ['169.254.169.254'],
      'meta6.example': ['fd00:ec2::254'],
      'six.example': ['::1'],
      'mapped.example': ['::ffff:192.168.0.10'],
    };
    for (const host of Object.keys(table)) expect(await refusal(guarded(`http://${host}/`, table))).toMatch(/not allowed/);
  });

  it('refuses literal private addresses in the URL', async () => {
    for (const url of ['http://127.0.0.1:8080/', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/']) {
      expect(await refusal(guarded(url))).toMatch(/not allowed/);
    }
  });

  it('refuses schemes other than http and https', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://x.example/', 'gopher://x.example/', 'javascript:alert(1)', 'data:text/plain,hi']) {
      expect(await refusal(resolveNotifyTarget(url, { allowPrivate: true }))).toMatch(/scheme/);
    }
  });

  it('reports a name that does not resolve, or resolves to nothing', async () => {
    expect(await refusal(guarded('http://nowhere.example/'))).toBe('cannot resolve nowhere.example: ENOTFOUND');
    expect(await refusal(guarded('http://empty.example/', { 'empty.example': [] }))).toMatch(/no addresses/);
  });

  it('lets private addresses through when allowPrivate is set (development)', async () => {
    const target = await resolveNotifyTarget('http://127.0.0.1:9999/hook', { allowPrivate: true });
    expect(target.address).toBe('127.0.0.1');
    const named = await resolveNotifyTarget('http://dev.example/', {
      allowPrivate: true,
      resolve: fakeDns({ 'dev.example': ['192.168.0.2'] }),
    });
    expect(named.address).toBe('192.168.0.2');
  });

  it('uses IPv6 literals without brackets as the address', async () => {
    const target = await resolveNotifyTarget('http://[2606:4700:4700::1111]:8443/', { allowPrivate: false });
    expect(target).toMatchObject({ address: '2606:4700:4700::1111', family: 6 });
  });
});

describe('checking a notify URL when an order is created', () => {
  const codeOf = (value: unknown, options?: Parameters<typeof checkNotifyUrl>[1]) => {
    try {
      checkNotifyUrl(value, options);
    } catch (error) {
      if (error instanceof PayrailError) return error.code;
      throw error;
    }
    return undefined;
  };

  it('accepts absolute http and https URLs up to 512 characters', () => {
    expect(codeOf('https://shop.example/notify')).toBeUndefined();
    expect(codeOf('HTTP://shop.example:8080/n?a=1#f')).toBeUndefined();
    const longest = `https://shop.example/${'a'.repeat(512 - 'https://shop.example/'.length)}`;
    expect(longest).toHaveLength(512);
    expect(codeOf(longest)).toBeUndefined();
    expect(codeOf(`${longest}a`)).toBe(BusinessCode.UrlNotAllowed);
  });

  it('refuses other schemes, relative and sloppy URLs with 8013', () => {
    for (const value of ['ftp://shop.example/', '/notify', 'shop.example/notify', 'http:shop.example', 'http:\\\\shop.example', ' https://shop.example/', 'https://shop .example/', 'javascript:alert(1)', 'http://']) {
      expect(codeOf(value), value).toBe(BusinessCode.UrlNotAllowed);
    }
  });

  it('refuses credentials in the URL with 8013', () => {
    expect(codeOf('https://user:pw@shop.example/')).toBe(BusinessCode.UrlNotAllowed);
    expect(codeOf('https://user@shop.example/')).toBe(BusinessCode.UrlNotAllowed);
  });

  it('refuses a missing or non-string value with 8002, naming the field', () => {
    expect(codeOf(undefined)).toBe(BusinessCode.ParameterInvalid);
    expect(codeOf(42)).toBe(BusinessCode.ParameterInvalid);
    expect(() => checkNotifyUrl('', { field: 'returnUrl' })).toThrow(/returnUrl/);
  });

  it('refuses visibly private hosts only when private targets are forbidden', () => {
    for (const value of ['http://127.0.0.1/', 'http://2130706433/', 'http://[::1]/', 'http://localhost:8080/', 'http://api.localhost/', 'http://10.1.1.1/']) {
      expect(codeOf(value, { allowPrivate: false }), value).toBe(BusinessCode.UrlNotAllowed);
      expect(codeOf(value, { allowPrivate: true }), value).toBeUndefined();
    }
    expect(codeOf('https://shop.example/', { allowPrivate: false })).toBeUndefined();
  });
});
