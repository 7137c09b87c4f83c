import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, testRedis, uniquePrefix } from '../../harness/redis.js';
import { keepLease } from '../../jobs/lease-keeper.js';
import { redisKeys } from '../../src/adapters/redis/redis-keys.js';
import { RedisPublicationLeases } from '../../src/adapters/redis/redis-publication-lease.js';
import { waitFor } from '../support/wait-for.js';

// A worker that stalls or is cut off must stop sending once another may own the publication: the keeper
// renews the lease, and the moment Redis says it is gone, the in-flight send is aborted.
describe('keeping a publication lease', () => {
  let redis: Redis;
  const prefix = uniquePrefix('keeper');

  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('renews a held lease, and aborts the moment another worker has taken it', async () => {
    const leases = new RedisPublicationLeases(redis, prefix);
    // Long enough that a loaded machine's event-loop stall (a second and more) does not let it lapse
    // between two renewals; the wait below still outlasts its first lifetime.
    const lease = await leases.acquire('keep2345', 'x', 'worker-1', 2_000);
    if (!lease) throw new Error('no lease');
    const controller = new AbortController();
    const timer = keepLease(lease, 2_000, () => controller.abort(new Error('lease lost')));
    try {
      // Renewed: still held well past its first lifetime (the wait is what is under test).
      await new Promise((r) => setTimeout(r, 2_600));
      expect(await redis.get(redisKeys.lease(prefix, 'keep2345', 'x'))).toBe('worker-1');
      expect(controller.signal.aborted).toBe(false);
      // Taken over (as after a stall long enough for it to lapse).
      await redis.set(redisKeys.lease(prefix, 'keep2345', 'x'), 'worker-2', 'PX', 5_000);
      await waitFor(() => controller.signal.aborted, { timeoutMs: 3_000, what: 'the send to be aborted' });
    } finally {
      clearInterval(timer);
    }
  });
});
