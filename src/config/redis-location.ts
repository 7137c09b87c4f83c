import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whether `host` (a name, an IPv4 literal, an IPv6 literal with or without brackets) is this machine's
 * loopback: `localhost`, 127.0.0.0/8, `::1` (also IPv4-mapped, `::ffff:127.x.y.z`). Other names are not,
 * even if they happen to resolve to loopback: this is decided without DNS. Pure.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[/, '').replace(/\]$/, '').replace(/\.$/, '');
  if (bare === 'localhost') return true;
  if (isIPv4(bare)) return bare.startsWith('127.');
  // A zone id (`fe80::1%eth0`) is link-local, never loopback; WHATWG URL refuses it.
  if (!isIPv6(bare) || bare.includes('%')) return false;
  // Expand through WHATWG URL: it writes every spelling of an address the same way ([::1], [::ffff:7f00:1]).
  const canonical = new URL(`http://[${bare}]/`).hostname;
  if (canonical === '[::1]') return true;
  const mapped = /^\[::ffff:7f([0-9a-f]{2}):[0-9a-f]{1,4}\]$/.exec(canonical);
  return mapped !== null;
}

/**
 * Whether `redisUrl` (`redis://…`, `rediss://…`, or a unix socket path `/…`) reaches a Redis on this
 * machine: a unix socket or a loopback host ({@link isLoopbackHost}). An unreadable URL is not. Pure.
 */
export function isLoopbackRedis(redisUrl: string): boolean {
  if (redisUrl.startsWith('/')) return true;
  try {
    return isLoopbackHost(new URL(redisUrl).hostname);
  } catch {
    return false;
  }
}

/**
 * What is wrong with a Redis URL that ioredis could not open, in words that never repeat its value
 * (it may hold a password), or undefined when it is usable. Catches what crashes at connect time instead:
 * a `%` in the user name or password not followed by two hex digits (ioredis percent-decodes them). Pure.
 */
export function redisUrlProblem(redisUrl: string): string | undefined {
  if (redisUrl.startsWith('/')) return undefined;
  if (!/^rediss?:\/\//.test(redisUrl)) return 'must start with redis://, rediss:// or / (a unix socket path)';
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch {
    return 'is not a valid URL (redis://[user:password@]host[:port][/db])';
  }
  for (const [part, value] of [
    ['user name', url.username],
    ['password', url.password],
  ] as const) {
    try {
      decodeURIComponent(value);
    } catch {
      return `the ${part} has a % that does not start a percent-encoded byte; write a literal % as %25`;
    }
  }
  return undefined;
}
