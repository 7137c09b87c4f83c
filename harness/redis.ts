import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis every test machine has (CI starts it); override with TEST_REDIS_URL. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A queue prefix no other test uses, so tests can share one Redis and run in parallel. */
export function uniquePrefix(label = 't'): string {
  return `rwtest-${label}-${randomBytes(4).toString('hex')}`;
}

/** A connection suitable for BullMQ workers and the stores. */
export function testRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
}

/** Deletes every key under `prefix:`; call in afterEach/afterAll. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
