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

/** One Redis node or sentinel: a host name or IP literal (IPv6 without brackets) and a port. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Reads a `host:port,host:port,…` list (IPv6 literals in brackets, `[::1]:7000`) into nodes, or says what
 * is wrong with it. Pure.
 */
export function parseRedisNodes(list: string): RedisNode[] | string {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) return 'must list at least one host:port';
  const nodes: RedisNode[] = [];
  for (const item of items) {
    const m = /^\[([0-9A-Fa-f:.]+)\]:(\d{1,5})$/.exec(item) ?? /^([A-Za-z0-9_.-]+):(\d{1,5})$/.exec(item);
    const port = Number(m?.[2]);
    if (!m?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
      return `"${item}" is not host:port (write IPv6 addresses in brackets, e.g. [::1]:7000)`;
    }
    nodes.push({ host: m[1], port });
  }
  return nodes;
}

/** `host:port`, with an IPv6 literal in brackets. */
export function formatRedisNode(node: RedisNode): string {
  return node.host.includes(':') ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`;
}

/** The shape `Config.redis` takes (see `config.ts`); declared here so this module stays free of imports. */
type Connection =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'cluster'; readonly nodes: readonly RedisNode[]; readonly auth: Auth }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly RedisNode[];
      readonly name: string;
      readonly auth: Auth;
      readonly sentinelPassword?: string;
    };
type Auth = { readonly username?: string; readonly password?: string; readonly tls: boolean };

const CLUSTER_SCHEME = 'redis-cluster://';
const SENTINEL_SCHEME = 'redis-sentinel://';

/**
 * A Redis connection as one string (what `Config.redisUrl` holds): the URL itself, or
 * `redis-cluster://[user:password@]host:port,…[?tls=1]`, `redis-sentinel://[user:password@]host:port,…/name[?tls=1]`
 * (user and password percent-encoded; a sentinel password is not carried). Pure.
 */
export function redisConnectionString(connection: Connection): string {
  if (connection.kind === 'url') return connection.url;
  const { auth } = connection;
  const user = auth.username ? encodeURIComponent(auth.username) : '';
  const userinfo =
    auth.password !== undefined ? `${user}:${encodeURIComponent(auth.password)}@` : user ? `${user}@` : '';
  const tls = auth.tls ? '?tls=1' : '';
  if (connection.kind === 'cluster') {
    return `${CLUSTER_SCHEME}${userinfo}${connection.nodes.map(formatRedisNode).join(',')}${tls}`;
  }
  const hosts = connection.sentinels.map(formatRedisNode).join(',');
  return `${SENTINEL_SCHEME}${userinfo}${hosts}/${encodeURIComponent(connection.name)}${tls}`;
}

/** Reads what {@link redisConnectionString} wrote (any other string is a URL). Throws on a malformed one. Pure. */
export function parseRedisConnectionString(text: string): Connection {
  const scheme = [CLUSTER_SCHEME, SENTINEL_SCHEME].find((s) => text.startsWith(s));
  if (!scheme) return { kind: 'url', url: text };
  let rest = text.slice(scheme.length);
  const tls = rest.endsWith('?tls=1');
  if (tls) rest = rest.slice(0, -'?tls=1'.length);
  const at = rest.lastIndexOf('@');
  const userinfo = at >= 0 ? rest.slice(0, at) : undefined;
  rest = at >= 0 ? rest.slice(at + 1) : rest;
  const colon = userinfo?.indexOf(':') ?? -1;
  const username =
    userinfo === undefined ? '' : decodeURIComponent(colon >= 0 ? userinfo.slice(0, colon) : userinfo);
  const password =
    userinfo !== undefined && colon >= 0 ? decodeURIComponent(userinfo.slice(colon + 1)) : undefined;
  const auth: Auth = {
    tls,
    ...(username ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
  };
  const slash = rest.indexOf('/');
  const nodes = parseRedisNodes(slash >= 0 ? rest.slice(0, slash) : rest);
  if (typeof nodes === 'string') throw new Error(`not a Redis connection string: ${nodes}`);
  if (scheme === CLUSTER_SCHEME) return { kind: 'cluster', nodes, auth };
  const name = slash >= 0 ? decodeURIComponent(rest.slice(slash + 1)) : '';
  if (name === '') throw new Error('not a Redis connection string: no sentinel master name');
  return { kind: 'sentinel', sentinels: nodes, name, auth };
}
