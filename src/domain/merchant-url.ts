import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { BusinessCode, PayrailError, invalidParameter, missingParameter } from './errors.ts';

/**
 * The rule for a URL a merchant gives us (`notifyUrl`, `returnUrl`), and the address ranges a
 * notification must never reach. Pure: no DNS. The delivery-time half of the guard, which
 * resolves names and pins the checked address, is jobs/notify/ssrf-guard.ts.
 */
export const NOTIFY_URL_MAX_LENGTH = 512;

// Cloud metadata services. Each also lies in a range refused below; named for a clearer log line.
const METADATA_ADDRESSES = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OpenStack
  'fd00:ec2::254', // AWS over IPv6
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud
]);

// Global unicast IPv6 is 2000::/3; everything outside it (::/8 with IPv4-compatible and NAT64
// forms, fc00::/7, fe80::/10, ff00::/8, ...) is refused without listing it.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Names the reason an address must not be a notify target, or answers undefined for a public
 * unicast address. It is an allow-list: only ipaddr.js's `unicast` range passes, so every
 * special range it knows (loopback, private, linkLocal, carrierGradeNat, multicast,
 * unspecified, broadcast, reserved, uniqueLocal, NAT64 `rfc6052`, `6to4`, `teredo`, ...) is refused.
 * IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export function forbiddenRange(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(canonical(stripBrackets(address)));
  } catch {
    return 'not an IP address';
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) {
      const inner = forbiddenRange(v6.toIPv4Address().toString());
      return inner === undefined ? undefined : `IPv4-mapped ${inner}`;
    }
  }
  if (METADATA_ADDRESSES.has(parsed.toNormalizedString()) || METADATA_ADDRESSES.has(parsed.toString())) {
    return 'cloud metadata';
  }
  const range = parsed.range();
  if (range !== 'unicast') return range;
  if (parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_V6)) return 'not global unicast';
  return undefined;
}

// ipaddr.js reads the IPv4-compatible "::1.2.3.4" as the IPv4-mapped "::ffff:1.2.3.4"; the
// URL parser writes IPv6 as hex groups the way the socket will read it, so it goes first.
function canonical(address: string): string {
  const withoutZone = address.split('%')[0] ?? address; // a zone (fe80::1%eth0) does not change the range
  if (isIP(withoutZone) !== 6) return address;
  return stripBrackets(new URL(`http://[${withoutZone}]/`).hostname);
}

export const stripBrackets = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

const urlNotAllowed = (field: string, rule: string) => new PayrailError(BusinessCode.UrlNotAllowed, `${field} ${rule}`);

/**
 * Creation-time check of a merchant URL (`notifyUrl`, `returnUrl`): an absolute http or https
 * URL of at most 512 characters, without user name or password. Pure: no DNS. With
 * `allowPrivate: false` it also refuses hosts that are visibly private without a lookup
 * (literal addresses, `localhost`); names that resolve to private addresses are caught at
 * delivery by `resolveNotifyTarget`.
 * Throws 8002 when the value is missing or not a string, 8013 for every other refusal.
 */
export function checkNotifyUrl(
  value: unknown,
  options: { field?: string; allowPrivate?: boolean } = {},
): URL {
  const field = options.field ?? 'notifyUrl';
  if (value === undefined || value === null || value === '') throw missingParameter(field);
  if (typeof value !== 'string') throw invalidParameter(field, 'must be a string');
  if (value.length > NOTIFY_URL_MAX_LENGTH) {
    throw urlNotAllowed(field, `must be at most ${NOTIFY_URL_MAX_LENGTH} characters`);
  }
  // The WHATWG parser forgives "http:example.com", "http:\\host" and surrounding spaces; a
  // merchant's URL should be stored the way it is used, so those are refused instead.
  if (!/^https?:\/\//i.test(value) || /[\s\\]/.test(value)) {
    throw urlNotAllowed(field, 'must be an absolute http or https URL');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw urlNotAllowed(field, 'must be an absolute http or https URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw urlNotAllowed(field, 'must not contain a user name or password');
  }
  if (options.allowPrivate === false) {
    const host = stripBrackets(url.hostname);
    const range = isIP(host) !== 0 ? forbiddenRange(host) : isLocalhostName(host) ? 'loopback' : undefined;
    if (range !== undefined) throw urlNotAllowed(field, `must not point to a ${range} address`);
  }
  return url;
}

// RFC 6761: "localhost" and every name under it are loopback.
const isLocalhostName = (host: string) => /(^|\.)localhost\.?$/i.test(host);
