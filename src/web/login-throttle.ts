import { isIPv6 } from 'node:net';

/** Failed logins per client address, to slow password guessing on the dashboard's Basic auth. */
export interface LoginThrottle {
  /** How long `client` must wait before its next attempt is even checked, in ms; 0 when it may try now. */
  retryAfterMs(client: string): number;
  /** Records a failed attempt (a wrong password, not a request without credentials). */
  failed(client: string): void;
}

/** How many wrong passwords {@link createLoginThrottle} allows per client, over what window. */
export interface LoginThrottleOptions {
  /** Failures allowed per client within `windowMs` before it waits. Default 10. */
  readonly maxFailures?: number;
  /** Default 600 000 (10 minutes). */
  readonly windowMs?: number;
  /** Clients remembered at most (memory bound); the least recently failing are forgotten first. Default 10 000. */
  readonly maxClients?: number;
  /** Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A {@link LoginThrottle} in memory: a client with `maxFailures` failures in the last `windowMs` waits
 * until the oldest of them is `windowMs` old. Successful logins are neither counted nor clear the count
 * (a colleague behind the same address logging in must not reset a guesser's budget). While a client
 * waits, even a right password is refused: answering it would tell a guesser which one was right.
 * IPv6 clients count per /64, the block one subscriber usually holds.
 */
export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 600_000;
  const maxClients = options.maxClients ?? 10_000;
  const now = options.now ?? Date.now;
  // Insertion order is the order of last failure: re-inserted on each failure, oldest first.
  const failures = new Map<string, number[]>();

  const recent = (key: string, at: number): number[] => {
    const times = (failures.get(key) ?? []).filter((t) => at - t < windowMs);
    if (times.length === 0) failures.delete(key);
    return times;
  };

  return {
    retryAfterMs(client) {
      const at = now();
      const times = recent(clientKey(client), at);
      if (times.length < maxFailures) return 0;
      return (times[times.length - maxFailures] ?? at) + windowMs - at;
    },
    failed(client) {
      const at = now();
      const key = clientKey(client);
      const times = [...recent(key, at), at].slice(-maxFailures);
      failures.delete(key);
      failures.set(key, times);
      // Full: forget the clients whose last failure is oldest (first in insertion order).
      for (const other of failures.keys()) {
        if (failures.size <= maxClients) break;
        failures.delete(other);
      }
    },
  };
}

function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail] = address.toLowerCase().split('%')[0]?.split('::') ?? [];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [
    ...left,
    ...new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'),
    ...right,
  ];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
