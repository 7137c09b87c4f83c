import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, testRedis, uniquePrefix } from '../../harness/redis.js';
import { redisKeys } from '../../src/adapters/redis/redis-keys.js';
import { RedisPublicationLeases } from '../../src/adapters/redis/redis-publication-lease.js';
import { RedisStoryStore } from '../../src/adapters/redis/redis-story-store.js';
import { LeaseLostError, PublicationStoppedError } from '../../src/ports/publication-lease.js';
import { waitFor } from '../support/wait-for.js';

// Two workers must never write the ledger of one publication at once, even when BullMQ's job lock was
// lost by the first (an event-loop stall) and the job was handed to the second.
const AT = '2026-11-28T10:00:00.000Z';

describe('publication leases', () => {
  let redis: Redis;
  const prefix = uniquePrefix('lease');

  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('admits one holder; a lapsed holder can no longer write a part', async () => {
    const leases = new RedisPublicationLeases(redis, prefix);
    const store = new RedisStoryStore(redis, prefix);
    await store.setPublication('abcd2345', { destination: 'x', state: 'publishing', updatedAt: AT });
    const first = await leases.acquire('abcd2345', 'x', 'worker-1', 150);
    expect(first).toBeDefined();
    expect(await leases.acquire('abcd2345', 'x', 'worker-2', 150)).toBeUndefined();
    await first?.setPart({ index: 0, state: 'sending', at: '2026-11-28T10:00:00.000Z' });
    expect(await first?.renew()).toBe(true);

    const key = redisKeys.lease(prefix, 'abcd2345', 'x');
    await waitFor(async () => (await redis.exists(key)) === 0 || undefined, { what: 'the lease to lapse' });
    const second = await leases.acquire('abcd2345', 'x', 'worker-2', 5_000);
    expect(second).toBeDefined();
    expect(await first?.renew()).toBe(false);
    await expect(
      first?.setPart({ index: 0, state: 'sent', remoteId: '1', at: '2026-11-28T10:00:01.000Z' }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await second?.setPart({ index: 0, state: 'sent', remoteId: '2', at: '2026-11-28T10:00:02.000Z' });
    expect(await store.parts('abcd2345', 'x')).toEqual([
      { index: 0, state: 'sent', remoteId: '2', at: '2026-11-28T10:00:02.000Z' },
    ]);

    await first?.release();
    expect(await leases.acquire('abcd2345', 'x', 'worker-3', 5_000)).toBeUndefined();
    await second?.release();
    expect(await leases.acquire('abcd2345', 'x', 'worker-3', 5_000)).toBeDefined();
  });

  it('starts no new send once the publication is cancelled, but still records what was sent', async () => {
    const leases = new RedisPublicationLeases(redis, prefix);
    const store = new RedisStoryStore(redis, prefix);
    await store.setPublication('stop2345', { destination: 'x', state: 'publishing', updatedAt: AT });
    const lease = await leases.acquire('stop2345', 'x', 'worker-1', 5_000);
    await lease?.setPart({ index: 0, state: 'sending', at: AT, attempt: 'worker-1' });
    const cancelled = await store.transition('stop2345', 'x', {
      from: ['publishing'],
      to: 'cancelled',
      at: AT,
      reason: 'cancelled by @ed',
    });
    expect(cancelled).toEqual({ ok: true, previous: 'publishing' });
    // The part in flight is recorded; the next one may not start.
    await lease?.setPart({ index: 0, state: 'sent', remoteId: '7', at: AT });
    await expect(lease?.setPart({ index: 1, state: 'sending', at: AT })).rejects.toBeInstanceOf(
      PublicationStoppedError,
    );
    expect((await store.parts('stop2345', 'x')).map((p) => p.state)).toEqual(['sent']);
  });

  it('takes back only its own sending mark, keeping what an editor decided', async () => {
    const leases = new RedisPublicationLeases(redis, prefix);
    const store = new RedisStoryStore(redis, prefix);
    await store.setPublication('back2345', { destination: 'x', state: 'publishing', updatedAt: AT });
    const lease = await leases.acquire('back2345', 'x', 'worker-1', 5_000);
    await lease?.setPart({ index: 1, state: 'sending', at: AT, attempt: 'worker-1', newThread: true });
    await store.setPart('back2345', 'x', { index: 2, state: 'sending', at: AT, attempt: 'worker-0' });
    expect(await lease?.retractSending(1, 'not sent', AT)).toBe(true);
    expect(await lease?.retractSending(2, 'not sent', AT)).toBe(false);
    expect(await store.parts('back2345', 'x')).toEqual([
      { index: 1, state: 'failed', at: AT, newThread: true, reason: 'not sent' },
      { index: 2, state: 'sending', at: AT, attempt: 'worker-0' },
    ]);
  });
});
