import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnRedis } from '../../harness/delivery-redis-server.js';
import { deletePrefix, testRedis, uniquePrefix } from '../../harness/redis.js';
import { luaScript } from '../../src/adapters/redis/lua-script.js';
import { redisKeys } from '../../src/adapters/redis/redis-keys.js';
import { RedisPacer } from '../../src/adapters/redis/redis-pacer.js';
import { RedisPublicationLeases } from '../../src/adapters/redis/redis-publication-lease.js';
import { RedisStoryStore } from '../../src/adapters/redis/redis-story-store.js';
import type { StoryRecord } from '../../src/domain/publication.js';
import { LeaseLostError } from '../../src/ports/publication-lease.js';
import { destinationScheduleSchema } from '../../src/schedule/destination-schedule.js';

// The publish job's Redis steps, each one atomic round trip: begin (lease + read + 'publishing'),
// reserve (pacing + the previous part's confirmation + this part's 'sending'), finish (last part +
// publication + digest index + lease release).
const AT = '2026-11-28T10:00:00.000Z';

function record(id: string): StoryRecord {
  const story = {
    id,
    url: `https://news.example.com/${id}`,
    title: 'MiCA licences: the first twelve',
    body: 'ESMA publishes the register.',
    tags: [],
    changes: [],
  };
  return { story, rendered: { story, telegram: [], x: [] }, queuedAt: AT, destinations: ['telegram', 'x'] };
}

describe('publish steps on Redis', () => {
  let redis: Redis;
  const prefix = uniquePrefix('steps');
  let store: RedisStoryStore;
  let leases: RedisPublicationLeases;

  beforeAll(() => {
    redis = testRedis();
    store = new RedisStoryStore(redis, prefix);
    leases = new RedisPublicationLeases(redis, prefix);
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  /** A stored story due at AT on both destinations. */
  async function createScheduled(id: string): Promise<void> {
    await store.create(record(id));
    for (const destination of ['telegram', 'x'])
      await store.setPublication(id, { destination, state: 'scheduled', dueAt: AT, updatedAt: AT });
  }

  it('begin takes the lease, reads the publication as it was and marks it publishing', async () => {
    await store.create(record('beg00001'));
    await store.setPublication('beg00001', {
      destination: 'x',
      state: 'scheduled',
      dueAt: AT,
      updatedAt: AT,
      reason: 'next free slot: 12:00 — Zürich/Genève «MiCA»',
      moved: 'after the embargo 11:00 ✓',
    });
    await store.setPart('beg00001', 'x', { index: 1, state: 'sending', at: AT });
    await store.setPart('beg00001', 'x', { index: 0, state: 'sent', remoteId: '99', at: AT });

    const begun = await store.beginPublication('beg00001', 'x', '2026-11-28T10:05:00.000Z', {
      token: 'worker-1',
      ttlMs: 5_000,
    });
    expect(begun?.record?.story.title).toBe('MiCA licences: the first twelve');
    expect(begun?.publication?.reason).toBe('next free slot: 12:00 — Zürich/Genève «MiCA»');
    expect(begun?.parts.map((p) => [p.index, p.state])).toEqual([
      [0, 'sent'],
      [1, 'sending'],
    ]);
    // The status now: publishing, same due time and note, no stale reason, text intact through Lua.
    expect(await store.publications('beg00001')).toEqual([
      {
        destination: 'x',
        state: 'publishing',
        dueAt: AT,
        updatedAt: '2026-11-28T10:05:00.000Z',
        moved: 'after the embargo 11:00 ✓',
      },
    ]);
    // A second worker cannot begin while the lease is held.
    expect(
      await store.beginPublication('beg00001', 'x', AT, { token: 'worker-2', ttlMs: 5_000 }),
    ).toBeUndefined();
    await leases.held('beg00001', 'x', 'worker-1', 5_000).release();
    expect(
      await store.beginPublication('beg00001', 'x', AT, { token: 'worker-2', ttlMs: 5_000 }),
    ).toBeDefined();
  });

  it('begin leaves a cancelled publication cancelled and writes nothing for a missing story', async () => {
    await store.create(record('beg00002'));
    await store.setPublication('beg00002', { destination: 'telegram', state: 'cancelled', updatedAt: AT });
    const claim = { token: 'w9', ttlMs: 5_000 };
    const begun = await store.beginPublication('beg00002', 'telegram', '2026-11-28T11:00:00.000Z', claim);
    expect(begun?.verdict).toBe('cancelled');
    expect(begun?.publication?.state).toBe('cancelled');
    expect((await store.publications('beg00002'))[0]?.state).toBe('cancelled');
    // Anything but 'run' gives the lease back at once.
    expect(await redis.exists(redisKeys.lease(prefix, 'beg00002', 'telegram'))).toBe(0);

    const missing = await store.beginPublication('nothere1', 'telegram', AT, claim);
    expect(missing).toEqual({ verdict: 'gone', record: undefined, publication: undefined, parts: [] });
    expect(await store.publications('nothere1')).toEqual([]);
  });

  it('a reservation confirms the previous part even when the send must wait', async () => {
    const schedules = new Map([
      ['x', destinationScheduleSchema.parse({ platform: 'x', rate: { minIntervalMs: 60_000 } })],
    ]);
    const pacer = new RedisPacer(redis, prefix, schedules);
    await createScheduled('res00001');
    const begun = await store.beginPublication('res00001', 'x', AT, { token: 'w', ttlMs: 5_000 });
    expect(begun).toBeDefined();
    const sending = { index: 0, state: 'sending', at: AT } as const;
    expect(await pacer.reserve('x', { storyId: 'res00001', part: sending, leaseToken: 'w' })).toBe(0);
    const sent0 = { index: 0, state: 'sent', remoteId: '501', at: AT } as const;
    const sending1 = { index: 1, state: 'sending', at: AT, replyTo: '501' } as const;
    const wait = await pacer.reserve('x', {
      storyId: 'res00001',
      part: sending1,
      confirmed: sent0,
      leaseToken: 'w',
    });
    expect(wait).toBeGreaterThan(50_000);
    // Part 0 is confirmed; part 1 was not marked, as its send was not reserved.
    expect(await store.parts('res00001', 'x')).toEqual([sent0]);

    // A lapsed lease writes nothing at all.
    await leases.held('res00001', 'x', 'w', 5_000).release();
    await expect(
      pacer.reserve('x', {
        storyId: 'res00001',
        part: sending1,
        confirmed: { ...sent0, remoteId: '777' },
        leaseToken: 'w',
      }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.parts('res00001', 'x')).toEqual([sent0]);
  });

  it('begin reserves and records the first send of a fresh publication, under the same limits as the pacer', async () => {
    const schedules = new Map([
      ['x', destinationScheduleSchema.parse({ platform: 'x', rate: { minIntervalMs: 60_000 } })],
    ]);
    const pacer = new RedisPacer(redis, prefix, schedules);
    const first = { part: { index: 0, state: 'sending', at: AT } as const, limits: pacer.limits('x') };
    expect(first.limits.minIntervalMs).toBe(60_000);
    await redis.del(redisKeys.paceSends(prefix, 'x')); // the reservation test before used this destination
    await createScheduled('fst00001');
    await createScheduled('fst00002');
    await createScheduled('fst00003');

    const fresh = await store.beginPublication('fst00001', 'x', AT, { token: 'w', ttlMs: 5_000 }, first);
    expect(fresh?.firstSendWaitMs).toBe(0);
    expect(fresh?.parts).toEqual([]);
    expect(await store.parts('fst00001', 'x')).toEqual([first.part]);
    // The pacer sees that send: the next one on this destination waits out the spacing.
    expect(await pacer.reserve('x')).toBeGreaterThan(50_000);

    // Another story's first send is paced too: nothing reserved, nothing recorded, the wait reported.
    const paced = await store.beginPublication('fst00002', 'x', AT, { token: 'w', ttlMs: 5_000 }, first);
    expect(paced?.firstSendWaitMs).toBeGreaterThan(50_000);
    expect(await store.parts('fst00002', 'x')).toEqual([]);

    // A publication with a ledger already (a resumed thread) is not touched: the job decides.
    await redis.del(redisKeys.paceSends(prefix, 'x'));
    await store.setPart('fst00003', 'x', { index: 0, state: 'sent', remoteId: '7', at: AT });
    const resumed = await store.beginPublication('fst00003', 'x', AT, { token: 'w3', ttlMs: 5_000 }, first);
    expect(resumed?.firstSendWaitMs).toBeUndefined();
    expect(await store.parts('fst00003', 'x')).toEqual([{ index: 0, state: 'sent', remoteId: '7', at: AT }]);
    expect(await redis.zcard(redisKeys.paceSends(prefix, 'x'))).toBe(0);

    // Nor is a cancelled one.
    await store.setPublication('fst00002', { destination: 'x', state: 'cancelled', updatedAt: AT });
    await leases.held('fst00002', 'x', 'w', 5_000).release();
    const cancelled = await store.beginPublication('fst00002', 'x', AT, { token: 'w4', ttlMs: 5_000 }, first);
    expect(cancelled?.firstSendWaitMs).toBeUndefined();
    expect(await store.parts('fst00002', 'x')).toEqual([]);
    expect(await redis.zcard(redisKeys.paceSends(prefix, 'x'))).toBe(0);
  });

  it('finish records the last part, the publication and the digest index, and releases the lease', async () => {
    await createScheduled('fin00001');
    await store.beginPublication('fin00001', 'x', AT, { token: 'w1', ttlMs: 5_000 });
    const last = { index: 0, state: 'sent', remoteId: '42', at: AT } as const;
    const atMs = Date.parse('2026-11-28T10:01:00.000Z');
    await store.finishPublication(
      { destination: 'x', state: 'published', updatedAt: '2026-11-28T10:01:00.000Z' },
      'fin00001',
      atMs,
      true,
      { lastPart: last, leaseToken: 'w1' },
    );
    expect(await store.parts('fin00001', 'x')).toEqual([last]);
    expect((await store.publications('fin00001'))[0]?.state).toBe('published');
    expect(await store.publishedBetween(atMs, atMs + 1)).toEqual(['fin00001']);
    expect((await store.lastPublished()).x).toBe('2026-11-28T10:01:00.000Z');
    // Released: the next attempt can begin at once.
    expect(await store.beginPublication('fin00001', 'x', AT, { token: 'w2', ttlMs: 5_000 })).toBeDefined();

    // w1 no longer holds it: its finish is refused and writes nothing.
    await expect(
      store.finishPublication(
        { destination: 'x', state: 'published', updatedAt: '2026-11-28T12:00:00.000Z' },
        'fin00001',
        atMs + 7_200_000,
        true,
        { lastPart: { ...last, remoteId: '43' }, leaseToken: 'w1' },
      ),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.parts('fin00001', 'x')).toEqual([last]);
  });

  it('a finish whose lease ran out with nobody else holding it still closes the publication', async () => {
    // After a failover the new primary may have let the lease run out (its renewals went to the old
    // one): every part is out, so the finish stands; another attempt's lease still refuses it.
    await createScheduled('fin00002');
    await store.beginPublication('fin00002', 'x', AT, { token: 'w1', ttlMs: 5_000 });
    await redis.del(redisKeys.lease(prefix, 'fin00002', 'x'));
    const last = { index: 0, state: 'sent', remoteId: '44', at: AT } as const;
    const finish = (token: string, remoteId: string) =>
      store.finishPublication(
        { destination: 'x', state: 'published', updatedAt: '2026-11-28T10:02:00.000Z' },
        'fin00002',
        Date.parse('2026-11-28T10:02:00.000Z'),
        true,
        { lastPart: { ...last, remoteId }, leaseToken: token },
      );
    expect(await finish('w1', '44')).toBe('published');
    expect(await store.parts('fin00002', 'x')).toEqual([last]);
    expect((await store.publications('fin00002'))[0]?.state).toBe('published');

    await createScheduled('fin00003');
    await store.beginPublication('fin00003', 'x', AT, { token: 'w2', ttlMs: 5_000 });
    await expect(
      store.finishPublication(
        { destination: 'x', state: 'published', updatedAt: '2026-11-28T10:02:00.000Z' },
        'fin00003',
        1,
        true,
        { lastPart: last, leaseToken: 'w1' },
      ),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.parts('fin00003', 'x')).toEqual([]);
  });
});

describe('publish steps re-sent after a reconnect (ioredis replays a command whose reply was lost)', () => {
  let redis: Redis;
  const prefix = uniquePrefix('resend');
  let store: RedisStoryStore;

  beforeAll(() => {
    redis = testRedis();
    store = new RedisStoryStore(redis, prefix);
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  async function scheduled(id: string): Promise<void> {
    await store.create(record(id));
    await store.setPublication(id, { destination: 'telegram', state: 'scheduled', dueAt: AT, updatedAt: AT });
  }

  it('a second begin with the same claim is the same attempt: its own mark, one reservation, no false unknown', async () => {
    const pacer = new RedisPacer(
      redis,
      prefix,
      new Map([['telegram', destinationScheduleSchema.parse({ platform: 'telegram' })]]),
    );
    await scheduled('rsb00001');
    const claim = { token: 'job:1', ttlMs: 5_000 };
    const first = {
      part: { index: 0, state: 'sending', at: AT, attempt: 'job:1' } as const,
      limits: pacer.limits('telegram'),
    };
    const once = await store.beginPublication('rsb00001', 'telegram', AT, claim, first);
    const again = await store.beginPublication('rsb00001', 'telegram', AT, claim, first);
    expect(once).toMatchObject({ verdict: 'run', firstSendWaitMs: 0, parts: [] });
    // The replay sees the mark it wrote, with its own token: the job knows it never called Telegram.
    expect(again).toMatchObject({ verdict: 'run', parts: [first.part] });
    expect(again?.firstSendWaitMs).toBeUndefined();
    expect(await redis.zcard(redisKeys.paceSends(prefix, 'telegram'))).toBe(1);
    // Another attempt is still kept out.
    expect(
      await store.beginPublication('rsb00001', 'telegram', AT, { token: 'job:2', ttlMs: 5_000 }),
    ).toBeUndefined();
  });

  it('a second finish of a published publication answers published, not "lease lost"', async () => {
    await scheduled('rsf00001');
    const claim = { token: 'job:1', ttlMs: 5_000 };
    await store.beginPublication('rsf00001', 'telegram', AT, claim);
    const status = { destination: 'telegram', state: 'published', updatedAt: AT } as const;
    const close = {
      lastPart: { index: 0, state: 'sent', remoteId: '9', at: AT } as const,
      leaseToken: 'job:1',
    };
    expect(await store.finishPublication(status, 'rsf00001', 1, true, close)).toBe('published');
    expect(await store.finishPublication(status, 'rsf00001', 1, true, close)).toBe('published');
    // A different finish without the lease is still refused.
    await expect(
      store.finishPublication(
        { ...status, updatedAt: '2026-11-28T11:00:00.000Z' },
        'rsf00001',
        1,
        true,
        close,
      ),
    ).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('a finish after a cancel records the last part and keeps the cancellation', async () => {
    await scheduled('rsc00001');
    await store.beginPublication('rsc00001', 'telegram', AT, { token: 'job:1', ttlMs: 5_000 });
    await store.transition('rsc00001', 'telegram', {
      from: ['publishing'],
      to: 'cancelled',
      at: AT,
      reason: 'by @ed',
    });
    const ended = await store.finishPublication(
      { destination: 'telegram', state: 'published', updatedAt: AT },
      'rsc00001',
      1,
      true,
      { lastPart: { index: 0, state: 'sent', remoteId: '5', at: AT }, leaseToken: 'job:1' },
    );
    expect(ended).toBe('stopped');
    expect(await store.publications('rsc00001')).toMatchObject([{ state: 'cancelled', reason: 'by @ed' }]);
    expect(await store.parts('rsc00001', 'telegram')).toMatchObject([{ state: 'sent', remoteId: '5' }]);
    expect(await store.publishedBetween(0, 10)).not.toContain('rsc00001');
  });

  it('begin holds a publication that is not due yet or embargoed, and gives the lease back', async () => {
    await store.create(record('rse00001'));
    const later = '2026-11-28T12:00:00.000Z';
    await store.setPublication('rse00001', {
      destination: 'telegram',
      state: 'scheduled',
      dueAt: later,
      updatedAt: AT,
    });
    const claim = { token: 'job:1', ttlMs: 5_000 };
    expect(await store.beginPublication('rse00001', 'telegram', AT, claim)).toMatchObject({
      verdict: 'early',
      notBefore: later,
    });
    // Due now, but embargoed: held until the embargo ends, whatever started it (Retry, Post now).
    const embargo = '2026-11-28T13:00:00.000Z';
    await store.setPublication('rse00001', {
      destination: 'telegram',
      state: 'scheduled',
      dueAt: AT,
      updatedAt: AT,
      embargoUntil: embargo,
    });
    expect(await store.beginPublication('rse00001', 'telegram', AT, claim)).toMatchObject({
      verdict: 'early',
      notBefore: embargo,
    });
    expect((await store.publications('rse00001'))[0]?.state).toBe('scheduled');
    expect(await redis.exists(redisKeys.lease(prefix, 'rse00001', 'telegram'))).toBe(0);
  });

  it('state changes are compare-and-set, and an edit lands only while nothing is under way', async () => {
    await scheduled('cas00001');
    const refused = await store.transition('cas00001', 'telegram', {
      from: ['failed'],
      to: 'scheduled',
      at: AT,
    });
    expect(refused).toEqual({ ok: false, current: 'scheduled' });
    const edited = { ...record('cas00001'), story: { ...record('cas00001').story, title: 'Edited' } };
    expect(await store.replaceIfUnsent(edited)).toBeUndefined();
    expect((await store.get('cas00001'))?.story.title).toBe('Edited');
    await store.setPart('cas00001', 'telegram', { index: 0, state: 'unknown', at: AT });
    expect(await store.replaceIfUnsent(record('cas00001'))).toEqual({
      kind: 'part',
      destination: 'telegram',
      index: 0,
      state: 'unknown',
    });
    expect((await store.get('cas00001'))?.story.title).toBe('Edited');
  });
});

describe('Lua scripts after a Redis restart', () => {
  it('run again once the server forgot them (EVALSHA falls back to EVAL)', async () => {
    const server = await startOwnRedis({ durable: false });
    const { Redis } = await import('ioredis');
    const redis = new Redis(server.url, { maxRetriesPerRequest: null });
    try {
      const echo = luaScript('test_echo', `return ARGV[1] .. ':' .. KEYS[1]`);
      expect(await echo(redis, ['k'], ['a'])).toBe('a:k');
      await redis.script('FLUSH');
      expect(await echo(redis, ['k'], ['b'])).toBe('b:k');
    } finally {
      redis.disconnect();
      await server.close();
    }
  });
});
