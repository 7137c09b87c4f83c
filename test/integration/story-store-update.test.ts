import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, testRedis, uniquePrefix } from '../../harness/redis.js';
import { RedisStoryStore } from '../../src/adapters/redis/redis-story-store.js';
import { type Amendment, nextAmendmentId } from '../../src/domain/amendment.js';
import type { StoryRecord } from '../../src/domain/publication.js';

const AT = '2026-12-04T10:00:00.000Z';

function record(id: string): StoryRecord {
  const story = {
    id,
    url: `https://news.example.com/${id}`,
    title: 'Exchange licence revoked after audit',
    body: 'The regulator revoked the licence.',
    tags: [],
    changes: [],
  };
  return { story, rendered: { story, telegram: [], x: [] }, queuedAt: AT, destinations: ['telegram', 'x'] };
}

function correction(current: StoryRecord, text: string): Amendment {
  return {
    id: nextAmendmentId(current.amendments ?? [], 'correction'),
    kind: 'correction',
    text,
    requestedAt: AT,
    requestedBy: { kind: 'cli', name: 'cli' },
    operations: [],
  };
}

// Two editors correcting one story at the same instant, from two processes (two connections): each
// correction must stay, with an id of its own; a plain read-then-replace kept only the last writer's.
describe('StoryStore.update on Redis', () => {
  let a: Redis;
  let b: Redis;
  const prefix = uniquePrefix('store-update');

  beforeAll(() => {
    a = testRedis();
    b = testRedis();
  });
  afterAll(async () => {
    await deletePrefix(a, prefix);
    a.disconnect();
    b.disconnect();
  });

  it('keeps every one of many concurrent changes, each applied to what the others wrote', async () => {
    const stores = [new RedisStoryStore(a, prefix), new RedisStoryStore(b, prefix)];
    await stores[0]?.create(record('upd00001'));
    const written = await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        stores[n % 2]?.update('upd00001', (current) => ({
          ...current,
          amendments: [...(current.amendments ?? []), correction(current, `note ${n}`)],
        })),
      ),
    );
    expect(written.every((r) => r !== undefined)).toBe(true);
    const stored = await stores[0]?.get('upd00001');
    const amendments = stored?.amendments ?? [];
    expect(amendments.map((x) => x.text).sort()).toEqual(
      Array.from({ length: 30 }, (_, n) => `note ${n}`).sort(),
    );
    expect(new Set(amendments.map((x) => x.id)).size).toBe(30);
    expect(stored?.story.title).toBe('Exchange licence revoked after audit');
  });

  it('writes nothing when the change declines, and finds no story that is not there', async () => {
    const store = new RedisStoryStore(a, prefix);
    await store.create(record('upd00002'));
    expect(await store.update('upd00002', () => undefined)).toBeUndefined();
    expect((await store.get('upd00002'))?.amendments).toBeUndefined();
    let called = false;
    expect(
      await store.update('zzzzzzzz', (current) => {
        called = true;
        return current;
      }),
    ).toBeUndefined();
    expect(called).toBe(false);
  });
});
