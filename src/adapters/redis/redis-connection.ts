import { Redis } from 'ioredis';
import { coalesceWrites } from './write-coalescing.js';

/**
 * Opens an ioredis connection for BullMQ and the stores.
 * - long-lived (workers, server): `maxRetriesPerRequest: null` as BullMQ workers require; commands wait for a
 *   reconnect instead of failing during a short Redis outage, and reconnecting never gives up. Commands
 *   issued in one event-loop turn share a socket write ({@link coalesceWrites}).
 * - `failFast` (CLI): gives up after ~3 s so a person gets an answer instead of a hang.
 */
export function createRedis(url: string, name: string, options: { failFast?: boolean } = {}): Redis {
  if (options.failFast) {
    return new Redis(url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 3_000,
      connectionName: `regwire:${name}`,
      retryStrategy: (times) => (times > 3 ? null : 200 * times),
    });
  }
  return coalesceWrites(
    new Redis(url, {
      maxRetriesPerRequest: null,
      enableReadyCheck: true,
      connectionName: `regwire:${name}`,
      retryStrategy: (times) => Math.min(50 * 2 ** times, 2_000),
    }),
  );
}
