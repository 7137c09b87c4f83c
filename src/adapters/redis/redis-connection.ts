import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisConnection } from '../../config/config.js';
import { parseRedisConnectionString } from '../../config/redis-location.js';
import { coalesceWrites } from './write-coalescing.js';

/** A connection to one Redis server (also behind Sentinel) or to a Redis Cluster: what the stores take. */
export type RedisClient = Redis | Cluster;

/** How the connection behaves when Redis is away. */
export interface CreateRedisOptions {
  /** CLI: give up after ~3 s so a person gets an answer instead of a hang. */
  readonly failFast?: boolean;
}

// A primary demoted under a client (a Sentinel failover, a managed endpoint switching over) answers
// writes with READONLY: reconnect (to the new primary) and send the command again. It was not executed.
const reconnectOnReadonly = (err: Error): 2 | false => (err.message.startsWith('READONLY') ? 2 : false);

/**
 * Opens the connection regwire runs on, for BullMQ and the stores: one server (`url`), a Redis Cluster
 * (`cluster`: ioredis `Cluster`, slots discovered from the nodes given) or a primary behind Sentinel.
 * - long-lived (workers, server): `maxRetriesPerRequest: null` as BullMQ workers require; commands wait for a
 *   reconnect (or a failover) instead of failing during a short outage, and reconnecting never gives up.
 *   On one server, commands issued in one event-loop turn share a socket write ({@link coalesceWrites}).
 * - `failFast` (CLI): gives up after ~3 s.
 *
 * Given the one-string form (`Config.redisUrl`), the result is typed `Redis` for callers written before
 * Cluster support: on a cluster it is a `Cluster`, which answers every command regwire's stores send.
 */
export function createRedis(target: string, name: string, options?: CreateRedisOptions): Redis;
export function createRedis(target: RedisConnection, name: string, options?: CreateRedisOptions): RedisClient;
export function createRedis(
  target: string | RedisConnection,
  name: string,
  options: CreateRedisOptions = {},
): RedisClient {
  const connection = typeof target === 'string' ? parseRedisConnectionString(target) : target;
  const failFast = options.failFast === true;
  const common: RedisOptions = failFast
    ? { maxRetriesPerRequest: 1, connectTimeout: 3_000, connectionName: `regwire:${name}` }
    : { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: `regwire:${name}` };
  const retryStrategy = failFast
    ? (times: number) => (times > 3 ? null : 200 * times)
    : (times: number) => Math.min(50 * 2 ** times, 2_000);
  if (connection.kind === 'cluster') {
    const { auth } = connection;
    const clusterOptions: ClusterOptions = {
      enableReadyCheck: true,
      clusterRetryStrategy: retryStrategy,
      redisOptions: {
        ...common,
        ...(auth.username !== undefined ? { username: auth.username } : {}),
        ...(auth.password !== undefined ? { password: auth.password } : {}),
        ...(auth.tls ? { tls: {} } : {}),
      },
    };
    return new Cluster(
      connection.nodes.map((n) => ({ host: n.host, port: n.port })),
      clusterOptions,
    );
  }
  const client =
    connection.kind === 'url'
      ? new Redis(connection.url, { ...common, retryStrategy, reconnectOnError: reconnectOnReadonly })
      : new Redis({
          ...common,
          sentinels: connection.sentinels.map((n) => ({ host: n.host, port: n.port })),
          name: connection.name,
          ...(connection.auth.username !== undefined ? { username: connection.auth.username } : {}),
          ...(connection.auth.password !== undefined ? { password: connection.auth.password } : {}),
          ...(connection.sentinelPassword !== undefined
            ? { sentinelPassword: connection.sentinelPassword }
            : {}),
          ...(connection.auth.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
          // Told of a failover by the sentinels at once, instead of on the old primary's next error.
          failoverDetector: true,
          retryStrategy,
          sentinelRetryStrategy: retryStrategy,
          reconnectOnError: reconnectOnReadonly,
        });
  return failFast ? client : coalesceWrites(client);
}

/** Whether `redis` is a Redis Cluster client (its multi-key scripts must stay within one slot). */
export function isCluster(redis: RedisClient): redis is Cluster {
  return redis instanceof Cluster;
}

/** A new connection with the same settings as `redis` (for blocking reads that must not hold up others). */
export function duplicateClient(redis: RedisClient): RedisClient {
  return isCluster(redis) ? redis.duplicate() : redis.duplicate();
}
