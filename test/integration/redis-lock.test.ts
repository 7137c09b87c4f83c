import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, testRedis, uniquePrefix } from '../../harness/redis.js';
import { tryLock, withRedisLock } from '../../src/adapters/redis/redis-lock.js';
import { waitFor } from '../support/wait-for.js';

describe('Redis locks', () => {
  const prefix = uniquePrefix('lock');
  let redis: Redis;

  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('gives a held lock to no one else, and frees it on release', async () => {
    const key = `${prefix}:a`;
    const release = await tryLock(redis, key, 5_000);
    expect(release).toBeDefined();
    expect(await tryLock(redis, key, 5_000)).toBeUndefined();
    await release?.();
    const again = await tryLock(redis, key, 5_000);
    expect(again).toBeDefined();
    await again?.();
  });

  it('never deletes a lock that expired and was taken by someone else since', async () => {
    const key = `${prefix}:b`;
    const stale = await tryLock(redis, key, 30);
    await waitFor(async () => (await redis.exists(key)) === 0 || undefined, { what: 'the lock to expire' });
    const current = await tryLock(redis, key, 5_000);
    expect(current).toBeDefined();
    await stale?.();
    expect(await tryLock(redis, key, 5_000)).toBeUndefined();
    await current?.();
  });

  it('runs tasks one at a time, releases after a failing task, and gives up with its message when busy', async () => {
    const key = `${prefix}:c`;
    const options = { ttlMs: 5_000, waitMs: 2_000, retryMs: () => 5, busy: 'the test lock is busy' };
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      // Holding the lock a while is what overlapping tasks would show.
      await new Promise((r) => setTimeout(r, 10));
      running--;
    };
    await Promise.all(Array.from({ length: 5 }, () => withRedisLock(redis, key, options, task)));
    expect(most).toBe(1);

    await expect(
      withRedisLock(redis, key, options, async () => {
        throw new Error('task failed');
      }),
    ).rejects.toThrow('task failed');
    expect(await redis.exists(key)).toBe(0);

    const held = await tryLock(redis, key, 5_000);
    await expect(withRedisLock(redis, key, { ...options, waitMs: 50 }, task)).rejects.toThrow(
      'the test lock is busy',
    );
    await held?.();
  });
});
