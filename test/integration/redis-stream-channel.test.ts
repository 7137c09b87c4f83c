import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { RedisStreamChannel } from '../../src/adapters/redis/redis-stream-channel.js';
import { silentLogger } from '../../src/util/logger.js';
import { waitFor } from '../support/wait-for.js';

interface Note {
  readonly n: number;
}

describe('a Redis stream channel (alerts and intake news to the editor bot)', () => {
  const prefix = uniquePrefix('stream');
  let redis: Redis;
  const open: RedisStreamChannel<Note>[] = [];
  let keyNo = 0;

  const channelOn = (key: string) => {
    const channel = new RedisStreamChannel<Note>(redis, key, silentLogger, {
      name: 'test',
      group: 'editor-bot',
      blockMs: 200,
    });
    open.push(channel);
    return channel;
  };
  const freshKey = () => `${prefix}:s${++keyNo}`;

  beforeAll(() => {
    redis = testRedis();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('delivers, in order, what was published before its reader first ran and while it was down', async () => {
    const key = freshKey();
    const publisher = channelOn(key);
    await publisher.publish({ n: 1 });
    await publisher.publish({ n: 2 });

    const first = channelOn(key);
    const got: number[] = [];
    first.subscribe((m) => {
      got.push(m.n);
    });
    await first.whenSubscribed();
    await waitFor(() => got.length === 2 || undefined, { what: 'the two early messages' });
    await first.close();

    await publisher.publish({ n: 3 });
    await publisher.publish({ n: 4 });
    const second = channelOn(key);
    second.subscribe((m) => {
      got.push(m.n);
    });
    await second.whenSubscribed();
    await waitFor(() => got.length === 4 || undefined, { what: 'the messages published while down' });
    await publisher.publish({ n: 5 });
    await waitFor(() => got.length === 5 || undefined, { what: 'a live message' });
    expect(got).toEqual([1, 2, 3, 4, 5]);
  });

  it('hands out again a message whose handling was cut short, and never one that was handled', async () => {
    const key = freshKey();
    const publisher = channelOn(key);
    await publisher.publish({ n: 1 });
    await publisher.publish({ n: 2 });

    // The first reader handles 1, then "dies" in the middle of 2 (its handling never finishes).
    const dying = channelOn(key);
    const handled: number[] = [];
    let stuck = false;
    dying.subscribe(async (m) => {
      if (m.n === 2) {
        stuck = true;
        await new Promise(() => undefined);
      }
      handled.push(m.n);
    });
    await waitFor(() => stuck || undefined, { what: 'the reader to be busy with message 2' });
    await dying.close();
    expect(handled).toEqual([1]);

    const next = channelOn(key);
    const again: number[] = [];
    next.subscribe((m) => {
      again.push(m.n);
    });
    await next.whenSubscribed();
    // A fence: the stream is read in order, pending entries first, so once 3 is here nothing older can come.
    await publisher.publish({ n: 3 });
    await waitFor(() => again.includes(3) || undefined, { what: 'the message published after the restart' });
    expect(again).toEqual([2, 3]);
  });

  it('skips messages older than its maximum age, and one listener failing does not keep another from a message', async () => {
    const key = freshKey();
    const longAgo = Date.now() - 13 * 3_600_000;
    await redis.xadd(key, `${longAgo}-0`, 'm', JSON.stringify({ n: 0 }));
    const channel = channelOn(key);
    await channel.publish({ n: 1 });
    const got: number[] = [];
    channel.subscribe(() => {
      throw new Error('a listener bug');
    });
    channel.subscribe((m) => {
      got.push(m.n);
    });
    await channel.whenSubscribed();
    await waitFor(() => got.length > 0 || undefined, { what: 'the recent message' });
    expect(got).toEqual([1]);
    // Both were acknowledged: nothing is left pending for the group.
    await waitFor(async () => ((await redis.xpending(key, 'editor-bot')) as [number])[0] === 0 || undefined, {
      what: 'no pending entries',
    });
  });

  it('with retryFailedAfterMs, hands out again a message a listener failed on, until it is handled', async () => {
    const key = freshKey();
    const channel = new RedisStreamChannel<Note>(redis, key, silentLogger, {
      name: 'test',
      group: 'editor-bot',
      blockMs: 200,
      retryFailedAfterMs: 50,
    });
    open.push(channel);
    const attempts: number[] = [];
    channel.subscribe((m) => {
      attempts.push(m.n);
      // The editors' chat could not be reached the first two times 1 was handed out.
      if (m.n === 1 && attempts.filter((n) => n === 1).length <= 2) throw new Error('chat unreachable');
    });
    await channel.whenSubscribed();
    await channel.publish({ n: 1 });
    await channel.publish({ n: 2 });
    await waitFor(() => attempts.filter((n) => n === 1).length === 3 || undefined, {
      what: 'the failed message a third time',
    });
    // 2 was handled the first time and is not handed out again; 1 is acknowledged once handled.
    expect(attempts.filter((n) => n === 2)).toEqual([2]);
    await waitFor(async () => ((await redis.xpending(key, 'editor-bot')) as [number])[0] === 0 || undefined, {
      what: 'no pending entries',
    });
    expect(attempts.filter((n) => n === 1)).toHaveLength(3);
  });

  it('stops reading when its last listener leaves, so what comes next waits for the next listener', async () => {
    const key = freshKey();
    // A connection name of its own: the reader's connection (a duplicate) carries it, so Redis can tell
    // whether it is still open.
    const name = `${prefix}-s${keyNo}`;
    const named = new Redis(TEST_REDIS_URL, { connectionName: name });
    const connections = async () =>
      String(await redis.client('LIST'))
        .split('\n')
        .filter((line) => line.includes(` name=${name} `)).length;
    const channel = new RedisStreamChannel<Note>(named, key, silentLogger, {
      name: 'test',
      group: 'editor-bot',
      blockMs: 200,
    });
    open.push(channel);
    try {
      const first: number[] = [];
      const unsubscribe = channel.subscribe((m) => {
        first.push(m.n);
      });
      await channel.whenSubscribed();
      await channel.publish({ n: 1 });
      await waitFor(() => first.length === 1 || undefined, { what: 'the first message' });
      expect(await connections()).toBe(2);
      unsubscribe();
      await waitFor(async () => (await connections()) === 1 || undefined, {
        what: 'the reader to close its connection',
      });
      await channel.publish({ n: 2 });
      expect(first).toEqual([1]);
      // Nobody read 2: it waits in the stream, neither handed out nor acknowledged.
      const [group] = (await redis.xinfo('GROUPS', key)) as unknown[][];
      const fields = new Map(group?.flatMap((v, i, all) => (i % 2 === 0 ? [[v, all[i + 1]]] : [])));
      expect(fields.get('pending')).toBe(0);
      expect(fields.get('lag')).toBe(1);

      const later: number[] = [];
      channel.subscribe((m) => {
        later.push(m.n);
      });
      await waitFor(() => later.length === 1 || undefined, { what: 'the message published meanwhile' });
      expect(later).toEqual([2]);
    } finally {
      await channel.close();
      named.disconnect();
    }
  });

  it('counts what its reader has yet to handle: before it ever ran, while it is down, and none once handled', async () => {
    const key = freshKey();
    const publisher = channelOn(key);
    expect(await publisher.backlog()).toBe(0);
    await publisher.publish({ n: 1 });
    await publisher.publish({ n: 2 });
    expect(await publisher.backlog()).toBe(2);

    const reader = channelOn(key);
    const got: number[] = [];
    reader.subscribe((m) => {
      got.push(m.n);
    });
    await waitFor(() => got.length === 2 || undefined, { what: 'both messages' });
    await waitFor(async () => (await publisher.backlog()) === 0 || undefined, { what: 'an empty backlog' });
    await reader.close();
    await publisher.publish({ n: 3 });
    expect(await publisher.backlog()).toBe(1);
  });

  it('keeps reading when its stream is deleted (a Redis without persistence restarted)', async () => {
    const key = freshKey();
    const channel = channelOn(key);
    const got: number[] = [];
    channel.subscribe((m) => {
      got.push(m.n);
    });
    await channel.whenSubscribed();
    await channel.publish({ n: 1 });
    await waitFor(() => got.length === 1 || undefined, { what: 'the first message' });
    await redis.del(key);
    await channel.publish({ n: 2 });
    await waitFor(() => got.length === 2 || undefined, { what: 'a message on the re-created stream' });
    expect(got).toEqual([1, 2]);
  });
});
