import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { AMEND_QUEUE, createAmendProcessor } from '../../jobs/amend.job.js';
import { AmendQueue } from '../../jobs/amend-queue.js';
import { bullPrefix } from '../../src/adapters/redis/redis-keys.js';
import { RedisPublicationLeases } from '../../src/adapters/redis/redis-publication-lease.js';
import { RedisStoryStore } from '../../src/adapters/redis/redis-story-store.js';
import { createTelegramPublisher } from '../../src/adapters/telegram/index.js';
import { TwitterApiXPublisher } from '../../src/adapters/x/index.js';
import type { DestinationConfig } from '../../src/config/config.js';
import type { StoryRecord } from '../../src/domain/publication.js';
import type { MessageEntity } from '../../src/domain/rendered.js';
import type { TelegramPort } from '../../src/ports/telegram-port.js';
import type { XPort } from '../../src/ports/x-port.js';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_BOT,
  type TelegramStandIn,
} from '../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, X_SANDBOX_ACCOUNT, type XStandIn } from '../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../src/util/logger.js';

/** The channel the amend rig's Telegram destination posts to. */
export const AMEND_RIG_CHANNEL = '@regwire_sandbox';

/** The amend rig's two destinations. */
export const AMEND_RIG_DESTINATIONS = [
  { id: 'telegram', platform: 'telegram' },
  { id: 'x', platform: 'x' },
] as unknown as DestinationConfig[];

/** A story {@link publishStory} published: its channel post's message id and its thread's tweet ids. */
export interface PublishedStory {
  readonly messageId: number;
  readonly tweets: string[];
}

/** How {@link publishStory} words the story; by default an ETF approval with a 3-tweet thread. */
export interface PublishedStoryText {
  readonly title?: string;
  readonly post?: string;
  readonly entities?: readonly MessageEntity[];
  readonly thread?: readonly string[];
  /** ISO time it is recorded as published at (default now). */
  readonly at?: string;
}

/**
 * Publishes a story for real on the rig's stand-ins (a channel post, a thread) and records it as
 * published on both destinations, as the publish job would have: what an amendment starts from.
 */
export async function publishStory(
  rig: Pick<AmendWorkerRig, 'store' | 'telegram' | 'x'>,
  id: string,
  text: PublishedStoryText = {},
): Promise<PublishedStory> {
  const at = text.at ?? new Date().toISOString();
  const title = text.title ?? `SEC approves ETF ${id}`;
  const story = { id, url: `https://news.example.com/${id}`, title, body: 'Body.', tags: [], changes: [] };
  const post = {
    method: 'sendMessage' as const,
    text: text.post ?? `${title}\n\nThe SEC approved it.`,
    entities: text.entities ?? [],
  };
  const thread = text.thread ?? [
    `1/ ${title}`,
    `2/ The vote was 3-2 ${id}`,
    `3/ Trading starts Monday ${id}`,
  ];
  const record: StoryRecord = {
    story,
    rendered: { story, telegram: [post], x: thread.map((t) => ({ text: t })) },
    queuedAt: at,
    destinations: ['telegram', 'x'],
  };
  await rig.store.create(record);
  const { messageId } = await rig.telegram.send(AMEND_RIG_CHANNEL, post);
  const tweets: string[] = [];
  for (const t of thread)
    tweets.push((await rig.x.tweet(t, tweets.length ? { replyToId: tweets.at(-1)! } : {})).id);
  for (const [destination, ids] of [
    ['telegram', [String(messageId)]],
    ['x', tweets],
  ] as const) {
    await rig.store.setPublication(id, { destination, state: 'published', dueAt: at, updatedAt: at });
    for (const [index, remoteId] of ids.entries())
      await rig.store.setPart(id, destination, { index, state: 'sent', remoteId, at });
  }
  return { messageId, tweets };
}

/**
 * The amend queue's worker in the test process on real Redis, over the real adapters and the stand-ins
 * (short lease and request timeout, quick retries), started and stopped by the test to stand for a worker
 * that dies.
 */
export interface AmendWorkerRig {
  readonly redis: Redis;
  /** regwire's key prefix, and where BullMQ connects (for a worker of the test's own). */
  readonly prefix: string;
  readonly connection: { readonly host: string; readonly port: number };
  readonly telegramStandIn: TelegramStandIn;
  readonly xStandIn: XStandIn;
  readonly telegram: TelegramPort;
  readonly x: XPort;
  readonly store: RedisStoryStore;
  readonly queue: AmendQueue;
  /** Starts the amend worker; nothing when it runs already. */
  startWorker(): void;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function startAmendWorkerRig(name: string): Promise<AmendWorkerRig> {
  const redis = testRedis();
  const prefix = uniquePrefix(name);
  const url = new URL(TEST_REDIS_URL);
  const connection = { host: url.hostname, port: Number(url.port || 6379) };
  const telegramStandIn = await startTelegramStandIn({ floodLimits: false });
  const xStandIn = await startXStandIn();
  const telegram = createTelegramPublisher({
    token: TELEGRAM_SANDBOX_BOT.token,
    apiRoot: telegramStandIn.apiRoot,
  });
  const x = new TwitterApiXPublisher({ ...X_SANDBOX_ACCOUNT, apiRoot: xStandIn.apiRoot, timeoutMs: 2000 });
  const store = new RedisStoryStore(redis, prefix);
  const queue = new AmendQueue(redis, prefix);
  let worker: Worker | undefined;
  const stopWorker = async () => {
    await worker?.close();
    worker = undefined;
  };
  return {
    redis,
    prefix,
    connection,
    telegramStandIn,
    xStandIn,
    telegram,
    x,
    store,
    queue,
    startWorker() {
      // Started already: a second worker would outlive stopWorker and run jobs a test means to hold.
      if (worker) return;
      worker = new Worker(
        AMEND_QUEUE,
        createAmendProcessor({
          store,
          leases: new RedisPublicationLeases(redis, prefix),
          targetFor: (d) =>
            d === 'telegram'
              ? { platform: 'telegram', port: telegram, chatId: AMEND_RIG_CHANNEL }
              : { platform: 'x', port: x, policy: { recheckMs: 0 } },
          pauseDestination: async () => undefined,
          retry: { attempts: 4, backoffMs: 100 },
          leaseMs: 1_000,
          requestTimeoutMs: 500,
          now: () => new Date(),
          logger: silentLogger,
        }),
        { connection, prefix: bullPrefix(prefix, AMEND_QUEUE) },
      );
    },
    stopWorker,
    async close() {
      await stopWorker();
      await queue.close();
      await deletePrefix(redis, prefix);
      redis.disconnect();
      await telegramStandIn.close();
      await xStandIn.close();
    },
  };
}
