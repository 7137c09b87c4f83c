import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, testRedis, uniquePrefix } from '../../harness/redis.js';
import { redisKeys } from '../../src/adapters/redis/redis-keys.js';
import { RedisPacer } from '../../src/adapters/redis/redis-pacer.js';
import { RedisPublicationLeases } from '../../src/adapters/redis/redis-publication-lease.js';
import { RedisStoryStore } from '../../src/adapters/redis/redis-story-store.js';
import { ReplicaWait, ReplicaWaitError } from '../../src/adapters/redis/replica-wait.js';
import type { StoryRecord } from '../../src/domain/publication.js';
import { LeaseLostError, PublicationStoppedError } from '../../src/ports/publication-lease.js';
import { destinationScheduleSchema } from '../../src/schedule/destination-schedule.js';

// The Redis Cluster variants of the publish steps (slotSafe: no script touches two hash tags), run on
// one server, and the replica wait's refusal to let an unreplicated `sending` mark lead to a send (a
// server with no replica never acknowledges a WAIT).
const AT = '2026-11-28T10:00:00.000Z';

function record(id: string, url = `https://news.example.com/${id}`): StoryRecord {
  const story = {
    id,
    url,
    title: 'MiCA licences: the first twelve',
    body: 'ESMA publishes the register.',
    tags: [],
    changes: [],
  };
  return { story, rendered: { story, telegram: [], x: [] }, queuedAt: AT, destinations: ['telegram', 'x'] };
}

/** A replica wait on a server with no replica (no WAIT is ever acknowledged), and what each wait found. */
function unansweredReplicaWait(): { results: boolean[]; replicaWait: ReplicaWait } {
  const results: boolean[] = [];
  const replicaWait = new ReplicaWait({
    replicas: 1,
    timeoutMs: 20,
    confirmRetryMs: 300,
    onResult: (r) => results.push(r.replicated),
  });
  return { results, replicaWait };
}

const schedule = destinationScheduleSchema.parse({ platform: 'telegram', rate: { minIntervalMs: 1_000 } });

describe('publish steps that stay within one hash slot', () => {
  let redis: Redis;
  const prefix = uniquePrefix('slots');
  let store: RedisStoryStore;
  let pacer: RedisPacer;

  beforeAll(() => {
    redis = testRedis();
    store = new RedisStoryStore(redis, prefix, { slotSafe: true });
    pacer = new RedisPacer(redis, prefix, new Map([['telegram', schedule]]), { slotSafe: true });
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  async function begun(id: string, token: string): Promise<void> {
    await store.create(record(id));
    await store.setPublication(id, { destination: 'telegram', state: 'scheduled', dueAt: AT, updatedAt: AT });
    const first = {
      part: { index: 0, state: 'sending' as const, at: AT, attempt: token },
      limits: pacer.limits('telegram'),
    };
    const snapshot = await store.beginPublication(id, 'telegram', AT, { token, ttlMs: 5_000 }, first);
    expect(snapshot?.verdict).toBe('run');
    // The first send is not reserved with the begin on a cluster: the pacer does it next.
    expect(snapshot?.firstSendWaitMs).toBeUndefined();
    expect(snapshot?.parts).toEqual([]);
  }

  it('creates a story in three steps, refusing the same id and the same URL, and taking back the loser', async () => {
    expect(await store.create(record('slt00001', 'https://news.example.com/a?utm_source=x'))).toEqual({
      created: true,
    });
    expect(await store.create(record('slt00001'))).toEqual({ created: false, existingId: 'slt00001' });
    expect(await store.create(record('slt00002', 'https://news.example.com/a'))).toEqual({
      created: false,
      existingId: 'slt00001',
    });
    expect(await store.get('slt00002')).toBeUndefined();
    expect(await store.recent(10)).toEqual(['slt00001']);
  });

  it('reserves, then marks under the lease: two steps, one send', async () => {
    await begun('slt00003', 'w1');
    const part = { index: 0, state: 'sending' as const, at: AT, attempt: 'w1' };
    expect(await pacer.reserve('telegram', { storyId: 'slt00003', part, leaseToken: 'w1' })).toBe(0);
    expect(await store.parts('slt00003', 'telegram')).toEqual([part]);
    expect(await redis.zcard(redisKeys.paceSends(prefix, 'telegram'))).toBe(1);
    // The next one must wait for the spacing: its confirmation is written, nothing marked.
    const sent = { ...part, state: 'sent' as const, remoteId: '41', attempt: undefined };
    const next = { index: 1, state: 'sending' as const, at: AT, attempt: 'w1' };
    const wait = await pacer.reserve('telegram', {
      storyId: 'slt00003',
      part: next,
      confirmed: sent,
      leaseToken: 'w1',
    });
    expect(wait).toBeGreaterThan(0);
    expect((await store.parts('slt00003', 'telegram')).map((p) => p.state)).toEqual(['sent']);
  });

  it('refuses the mark of a lost lease or a stopped publication, at the cost of one send of budget', async () => {
    await redis.del(redisKeys.paceSends(prefix, 'telegram'));
    await begun('slt00004', 'w1');
    const part = { index: 0, state: 'sending' as const, at: AT, attempt: 'w2' };
    await expect(
      pacer.reserve('telegram', { storyId: 'slt00004', part, leaseToken: 'w2' }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.parts('slt00004', 'telegram')).toEqual([]);
    expect(await redis.zcard(redisKeys.paceSends(prefix, 'telegram'))).toBe(1);

    await redis.del(redisKeys.paceSends(prefix, 'telegram'));
    await store.transition('slt00004', 'telegram', { from: ['publishing'], to: 'cancelled', at: AT });
    await expect(
      pacer.reserve('telegram', { storyId: 'slt00004', part: { ...part, attempt: 'w1' }, leaseToken: 'w1' }),
    ).rejects.toBeInstanceOf(PublicationStoppedError);
    expect(await store.parts('slt00004', 'telegram')).toEqual([]);
  });

  it('finishes, then indexes; a job that finds it published indexes it again', async () => {
    await redis.del(redisKeys.paceSends(prefix, 'telegram'));
    await begun('slt00005', 'w1');
    const done = await store.finishPublication(
      { destination: 'telegram', state: 'published', updatedAt: '2026-11-28T10:00:05.000Z' },
      'slt00005',
      Date.parse('2026-11-28T10:00:05.000Z'),
      true,
      { leaseToken: 'w1' },
    );
    expect(done).toBe('published');
    expect(await store.publishedBetween(0, Date.parse('2026-11-29T00:00:00Z'))).toContain('slt00005');
    expect((await store.lastPublished()).telegram).toBe('2026-11-28T10:00:05.000Z');

    // A worker that died between the two steps: the index is gone, the publication published.
    await redis.zrem(redisKeys.published(prefix), 'slt00005');
    const again = await store.beginPublication('slt00005', 'telegram', AT, { token: 'w9', ttlMs: 5_000 });
    expect(again?.verdict).toBe('published');
    expect(await store.publishedBetween(0, Date.parse('2026-11-29T00:00:00Z'))).toContain('slt00005');
    // The last-publish time only moves forward.
    await redis.hset(redisKeys.lastPublished(prefix), 'telegram', '2026-11-28T11:00:00.000Z');
    expect(
      (await store.beginPublication('slt00005', 'telegram', AT, { token: 'w9', ttlMs: 5_000 }))?.verdict,
    ).toBe('published');
    expect((await store.lastPublished()).telegram).toBe('2026-11-28T11:00:00.000Z');
  });

  it('with a replica wait no replica answers: the mark is taken back and the send refused; a confirmation is retried, then stands', async () => {
    const { results, replicaWait } = unansweredReplicaWait();
    const waitingPacer = new RedisPacer(redis, prefix, new Map([['telegram', schedule]]), {
      slotSafe: true,
      replicaWait,
    });
    const waitingLeases = new RedisPublicationLeases(redis, prefix, replicaWait);
    await redis.del(redisKeys.paceSends(prefix, 'telegram'));
    await begun('slt00006', 'w1');
    const part = { index: 0, state: 'sending' as const, at: AT, attempt: 'w1' };
    await expect(
      waitingPacer.reserve('telegram', { storyId: 'slt00006', part, leaseToken: 'w1' }),
    ).rejects.toBeInstanceOf(ReplicaWaitError);
    expect(await store.parts('slt00006', 'telegram')).toMatchObject([{ index: 0, state: 'failed' }]);

    const lease = waitingLeases.held('slt00006', 'telegram', 'w1', 5_000);
    await expect(lease.setPart(part)).rejects.toBeInstanceOf(ReplicaWaitError);
    expect(await store.parts('slt00006', 'telegram')).toMatchObject([{ index: 0, state: 'failed' }]);
    const sent = { index: 0, state: 'sent' as const, at: AT, remoteId: '77' };
    await lease.setPart(sent);
    expect(await store.parts('slt00006', 'telegram')).toEqual([sent]);
    // The confirmation was written again for a while, then stood on the primary alone.
    expect(results.length).toBeGreaterThan(3);
    expect(results.every((replicated) => !replicated)).toBe(true);
  });

  it('with a replica wait no replica answers: a finish is written again, then stands; a cancelled one stays stopped', async () => {
    const { results, replicaWait } = unansweredReplicaWait();
    const waiting = new RedisStoryStore(redis, prefix, { slotSafe: true, replicaWait });
    const finish = (id: string) =>
      waiting.finishPublication(
        { destination: 'telegram', state: 'published', updatedAt: '2026-11-28T10:00:05.000Z' },
        id,
        Date.parse('2026-11-28T10:00:05.000Z'),
        true,
        { leaseToken: 'w1', lastPart: { index: 0, state: 'sent', at: AT, remoteId: '91' } },
      );

    await begun('slt00007', 'w1');
    expect(await finish('slt00007')).toBe('published');
    expect(results.length).toBeGreaterThanOrEqual(2);
    expect(results.every((replicated) => !replicated)).toBe(true);
    expect((await store.publications('slt00007'))[0]?.state).toBe('published');
    expect(await store.parts('slt00007', 'telegram')).toMatchObject([{ state: 'sent', remoteId: '91' }]);

    // Cancelled while its last part went out: the first run ends it 'stopped' and deletes the lease; the
    // runs after it find no lease of theirs, and that is not a lost lease.
    results.length = 0;
    await begun('slt00008', 'w1');
    await store.transition('slt00008', 'telegram', { from: ['publishing'], to: 'cancelled', at: AT });
    expect(await finish('slt00008')).toBe('stopped');
    expect(results.length).toBeGreaterThanOrEqual(2);
    expect((await store.publications('slt00008'))[0]?.state).toBe('cancelled');
    expect(await store.parts('slt00008', 'telegram')).toMatchObject([{ state: 'sent', remoteId: '91' }]);
  });
});
