import type { Redis } from 'ioredis';

/**
 * Every key under a prefix with its value. Left out: streams (the alert and intake buses move on their own)
 * and BullMQ's queue `meta` hashes (written once, some time after a queue object is created).
 */
export type DeskSnapshot = Readonly<Record<string, unknown>>;

/** Reads what the desk holds in Redis under `prefix`, to compare before and after an action. */
export async function deskSnapshot(redis: Redis, prefix: string): Promise<DeskSnapshot> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  const snapshot: Record<string, unknown> = {};
  for (const key of keys.filter((k) => !k.endsWith(':meta')).sort()) {
    const type = await redis.type(key);
    if (type === 'string') snapshot[key] = await redis.get(key);
    else if (type === 'hash') snapshot[key] = await redis.hgetall(key);
    else if (type === 'list') snapshot[key] = await redis.lrange(key, 0, -1);
    else if (type === 'set') snapshot[key] = (await redis.smembers(key)).sort();
    else if (type === 'zset') snapshot[key] = await redis.zrange(key, '0', '-1', 'WITHSCORES');
  }
  return snapshot;
}
