import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { forbiddenRange, stripBrackets } from '../../domain/merchant-url.ts';

/**
 * The private-address guard for merchant notify URLs, at delivery time.
 *
 * A notify URL is chosen by a merchant, so without a guard any merchant could make the gateway
 * POST into our own network (the database, a cloud metadata service, an admin port on
 * loopback). Two checks exist:
 *   - `checkNotifyUrl` at creation time (domain/merchant-url.ts): pure, no DNS, answers the API's 8013;
 *   - `resolveNotifyTarget` at delivery time: resolves the name, refuses it when any address is
 *     not public, and hands back the address that was checked, so that the connection goes to
 *     that address and a second DNS answer (DNS rebinding) cannot swap it.
 */

/** One answer of a name lookup. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses. Injectable so that tests never need real DNS. */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The operating system's resolver, as the connection would use it, asking for every record. */
export const systemResolver: ResolveHost = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** A notify URL that was checked, and the address to connect to for it. */
export interface CheckedTarget {
  url: URL;
  /** The host name as the URL carries it, without IPv6 brackets: Host header and TLS name. */
  hostname: string;
  address: string;
  family: 4 | 6;
}

/** Delivery to this URL must not be attempted now; `message` goes into the attempt record. */
export class NotifyTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotifyTargetError';
  }
}

export interface GuardOptions {
  /** When true, addresses are not checked at all (development: receivers run on localhost). */
  allowPrivate: boolean;
  resolve?: ResolveHost;
}

/**
 * Checks a notify URL at delivery time and answers the address to connect to.
 * Throws `NotifyTargetError` when the scheme is not http(s), the name does not resolve, or
 * (unless `allowPrivate`) any of its addresses is not a public unicast address. Every address
 * is checked, not only the first, because the connection could land on any of them.
 */
export async function resolveNotifyTarget(target: string | URL, options: GuardOptions): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = typeof target === 'string' ? new URL(target) : target;
  } catch {
    throw new NotifyTargetError('notify URL is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NotifyTargetError(`notify URL scheme ${url.protocol} is not allowed, only http and https`);
  }
  const hostname = stripBrackets(url.hostname);

  let addresses: readonly ResolvedAddress[];
  const literalFamily = isIP(hostname);
  if (literalFamily !== 0) {
    addresses = [{ address: hostname, family: literalFamily === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolver)(hostname);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new NotifyTargetError(`cannot resolve ${hostname}${typeof code === 'string' ? `: ${code}` : ''}`);
    }
  }
  const first = addresses[0];
  if (first === undefined) throw new NotifyTargetError(`cannot resolve ${hostname}: no addresses`);

  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const range = forbiddenRange(address);
      if (range !== undefined) {
        throw new NotifyTargetError(`${hostname} resolves to ${address} (${range}), which is not allowed`);
      }
    }
  }
  return { url, hostname, address: first.address, family: first.family };
}
