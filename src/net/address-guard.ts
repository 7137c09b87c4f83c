import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Checks, before each request of a fetch (the first and every redirect hop), that `url` may be
 * fetched; rejects with {@link BlockedAddressError} when not.
 */
export type AddressGuard = (url: URL) => Promise<void>;

/** A URL whose host is, or resolves to, an address regwire does not fetch from. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';

  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      `${host} is a private or local network address (${address}); regwire fetches links from public sites only`,
    );
  }
}

// Loopback, private, link-local (cloud metadata services live at 169.254.169.254), carrier-grade NAT,
// benchmarking, multicast and reserved ranges: nothing a news link or a feed item should point into.
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT): another way to write an IPv4 address
  ['64:ff9b:1::', 48], // local-use NAT64: its IPv4 side is whatever the local network makes it
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo: tunnels to an IPv4 address hidden in the last 32 bits
  ['2001:db8::', 32], // documentation
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}
// IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) need no rule of their own: BlockList checks them
// against the IPv4 rules. NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that decides.

/** Whether `address` (an IP literal) is outside the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return NON_PUBLIC.check(address, 'ipv4');
  if (NON_PUBLIC.check(address, 'ipv6')) return true;
  const embedded = embeddedIPv4(address);
  return embedded !== undefined && NON_PUBLIC.check(embedded, 'ipv4');
}

// The IPv4 address inside a NAT64 (64:ff9b::a.b.c.d) or 6to4 (2002:AABB:CCDD::) address.
function embeddedIPv4(address: string): string | undefined {
  const h = ipv6Hextets(address);
  if (!h) return undefined;
  if (h[0] === 0x64 && h[1] === 0xff9b && h[2] === 0 && h[3] === 0 && h[4] === 0 && h[5] === 0) {
    return ipv4Of(h[6] ?? 0, h[7] ?? 0);
  }
  if (h[0] === 0x2002) return ipv4Of(h[1] ?? 0, h[2] ?? 0);
  return undefined;
}

function ipv4Of(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit groups of a valid IPv6 literal (`::` expanded, a dotted IPv4 tail read, zone dropped). */
function ipv6Hextets(address: string): number[] | undefined {
  let text = address.split('%')[0] ?? '';
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = [
    ...left,
    ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0),
    ...right,
  ];
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

type Lookup = (host: string) => Promise<readonly { address: string }[]>;

const systemLookup: Lookup = (host) => lookup(host, { all: true, verbatim: true });

/**
 * An {@link AddressGuard} that refuses hosts that are, or resolve to, a non-public address (every address
 * the name resolves to is checked). A name that does not resolve passes: the fetch itself then fails
 * with the resolver's error.
 *
 * Hazard: the check and the connection resolve the name separately, so this cannot stop a name whose DNS
 * answer changes between the two (DNS rebinding). `publicOnlyFetch` (public-only-fetch.ts) checks the
 * addresses the connection itself uses; this guard is for fetches that cannot afford to load it.
 */
export function publicAddressesOnly(resolve: Lookup = systemLookup): AddressGuard {
  return async (url) => {
    const host = literalHostChecked(url, isNonPublicAddress);
    if (host === undefined) return;
    let addresses: readonly { address: string }[];
    try {
      addresses = await resolve(host);
    } catch {
      return;
    }
    const inside = addresses.find((a) => isNonPublicAddress(a.address));
    if (inside) throw new BlockedAddressError(host, inside.address);
  };
}

/**
 * Refuses (throws {@link BlockedAddressError}) a URL whose host is an IP literal that `refused` says no
 * to. Returns the host when it is a name (to be resolved), undefined when it is an accepted literal.
 */
export function literalHostChecked(url: URL, refused: (address: string) => boolean): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) === 0) return host;
  if (refused(host)) throw new BlockedAddressError(host, host);
  return undefined;
}

/** The {@link BlockedAddressError} behind a failed fetch, if that is why it failed. */
export function blockedCause(err: unknown): BlockedAddressError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof BlockedAddressError) return e;
  }
  return undefined;
}
