import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { createRedis } from '../../src/adapters/redis/redis-connection.js';
import { coalesceWrites } from '../../src/adapters/redis/write-coalescing.js';

const turnEnd = () => new Promise((r) => setImmediate(r));

describe('write coalescing on the long-lived Redis connection', () => {
  const prefix = uniquePrefix('coalesce');
  let admin: Redis;
  let redis: Redis;

  beforeAll(async () => {
    admin = testRedis();
    redis = createRedis(TEST_REDIS_URL, 'coalesce-test');
    await redis.ping();
  });
  afterAll(async () => {
    await deletePrefix(admin, prefix);
    redis.disconnect();
    admin.disconnect();
  });

  it('holds the commands of one turn in the socket buffer and sends them together when the turn ends', async () => {
    const replies = Array.from({ length: 50 }, () => redis.incr(`${prefix}:counter`));
    expect(redis.stream.writableCorked).toBe(1);
    expect(redis.stream.writableLength).toBeGreaterThan(50 * 20);
    await turnEnd();
    expect(redis.stream.writableCorked).toBe(0);
    expect(redis.stream.writableLength).toBe(0);
    // Every reply arrives, in the order the commands were issued.
    expect(await Promise.all(replies)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('never holds a command past its own turn: one awaited command after another', async () => {
    for (let i = 1; i <= 20; i++) {
      expect(await redis.incr(`${prefix}:sequential`)).toBe(i);
    }
  });

  it('keeps scripts, pipelines and transactions intact', async () => {
    const key = `${prefix}:script`;
    const [evalReply, pipelined, transaction] = await Promise.all([
      redis.eval(`return redis.call('INCRBY', KEYS[1], ARGV[1])`, 1, key, 5),
      redis.pipeline().incr(key).incr(key).exec(),
      redis.multi().incr(key).get(key).exec(),
    ]);
    expect(evalReply).toBe(5);
    expect(pipelined).toEqual([
      [null, 6],
      [null, 7],
    ]);
    expect(transaction).toEqual([
      [null, 8],
      [null, '8'],
    ]);
  });

  it('answers commands issued while the connection is re-established', async () => {
    const fresh = coalesceWrites(new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }));
    try {
      await fresh.ping();
      fresh.disconnect(true);
      const replies = Array.from({ length: 10 }, (_, i) => fresh.set(`${prefix}:after-reconnect:${i}`, i));
      expect(await Promise.all(replies)).toEqual(Array(10).fill('OK'));
      expect(await admin.get(`${prefix}:after-reconnect:9`)).toBe('9');
    } finally {
      fresh.disconnect();
    }
  });

  it('delivers a command issued in the same turn as QUIT before the connection closes', async () => {
    const closing = coalesceWrites(new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }));
    await closing.ping();
    const written = closing.set(`${prefix}:before-quit`, 'landed');
    const quit = closing.quit();
    expect(await written).toBe('OK');
    expect(await quit).toBe('OK');
    expect(await admin.get(`${prefix}:before-quit`)).toBe('landed');
  });
});
