import { type LookupAddress, lookup as systemLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { BlockedAddressError, isNonPublicAddress, literalHostChecked } from './address-guard.js';

type Resolve = (
  hostname: string,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const resolveAll: Resolve = (hostname, callback) => systemLookup(hostname, { all: true }, callback);

/**
 * A `fetch` whose connections go only to public addresses, checked on the very addresses it connects to
 * (the resolver's answer at connect time), so a name that resolved to a public address for
 * {@link publicAddressesOnly}'s check and to an internal one a moment later (DNS rebinding) is refused
 * too; it needs no separate {@link publicAddressesOnly} check. The socket does not look up IP literals:
 * those are checked here before the request. A refusal is a rejected fetch with a
 * {@link BlockedAddressError} as the error or its `cause`.
 *
 * undici (the library behind Node's own fetch) is used directly because only its `Agent` lets a fetch
 * choose how names are resolved. It is loaded on the first fetch: it weighs about 11 MB of a process's
 * memory, which a process that never fetches a link should not carry.
 */
export function publicOnlyFetch(
  resolve: Resolve = resolveAll,
  refused: (address: string) => boolean = isNonPublicAddress,
): typeof fetch {
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const inside = addresses.find((a) => refused(a.address));
      if (inside) return callback(new BlockedAddressError(hostname, inside.address), '', 0);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), '', 0);
      // net asks for every address when it races IPv4 and IPv6 (autoSelectFamily), one otherwise.
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      } else {
        callback(null, first.address, first.family);
      }
    });
  };
  let client:
    | Promise<{ fetch: typeof import('undici').fetch; dispatcher: import('undici').Agent }>
    | undefined;
  const load = () => {
    client ??= import('undici').then(({ Agent, fetch }) => ({
      fetch,
      dispatcher: new Agent({ connect: { lookup } }),
    }));
    return client;
  };
  return (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    literalHostChecked(new URL(input instanceof Request ? input.url : String(input)), refused);
    const { fetch: undiciFetch, dispatcher } = await load();
    return undiciFetch(input as never, { ...(init as object), dispatcher } as never);
  }) as unknown as typeof fetch;
}
