import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendQueue } from '../../../jobs/amend-queue.js';
import { startAmendWorker } from '../../../jobs/amend-worker.js';
import { RedisPacer } from '../../../src/adapters/redis/redis-pacer.js';
import { RedisPublicationLeases } from '../../../src/adapters/redis/redis-publication-lease.js';
import type { RedisStoryStore } from '../../../src/adapters/redis/redis-story-store.js';
import { LiveStoryDesk } from '../../../src/app/live-story-desk.js';
import { amendmentDestination } from '../../../src/domain/amendment.js';
import { defaultRenderOptions } from '../../../src/format/render-options.js';
import type { TelegramPort } from '../../../src/ports/telegram-port.js';
import type { XPort } from '../../../src/ports/x-port.js';
import type { TelegramStandIn } from '../../../src/sandbox/standins/telegram/index.js';
import type { XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { destinationScheduleSchema } from '../../../src/schedule/destination-schedule.js';
import { silentLogger } from '../../../src/util/logger.js';
import {
  AMEND_RIG_CHANNEL,
  AMEND_RIG_DESTINATIONS,
  type AmendWorkerRig,
  publishStory,
  startAmendWorkerRig,
} from '../../support/amend-worker-rig.js';

// A live story's update on real Redis, through the amend queue's worker, the real adapters and the
// stand-ins, when the worker dies between the Telegram reply and the X continuation: each goes out once.
// And its posts take their sends from the destination's shared budget, like a story's.

const CHANNEL = AMEND_RIG_CHANNEL;
const editor = { kind: 'editor' as const, id: 1, name: '@ada' };
const destinations = AMEND_RIG_DESTINATIONS;
const UPDATE = [
  'The exchange filed its answer on Thursday, asking the court to dismiss the suit and arguing that staking rewards are payment for a service rather than returns on an investment contract.',
  '',
  'Its chief legal officer said the company had met the SEC staff eleven times before the suit was filed.',
].join('\n');

let rig: AmendWorkerRig;
let redis: Redis;
let telegramStandIn: TelegramStandIn;
let xStandIn: XStandIn;
let telegram: TelegramPort;
let x: XPort;
let store: RedisStoryStore;
let queue: AmendQueue;
let prefix: string;
let connection: AmendWorkerRig['connection'];
let desk: LiveStoryDesk;

beforeAll(async () => {
  rig = await startAmendWorkerRig('live-crash');
  ({ redis, telegramStandIn, xStandIn, telegram, x, store, queue, prefix, connection } = rig);
  desk = new LiveStoryDesk({
    store,
    scheduler: queue,
    destinations,
    format: defaultRenderOptions,
    now: () => new Date(),
  });
});

afterAll(() => rig?.close());

const startWorker = (): void => rig.startWorker();
const stopWorker = (): Promise<void> => rig.stopWorker();

/** Publishes a story for real (a channel post, a 3-tweet thread) and records it as published. */
const published = (id: string) =>
  publishStory(rig, id, {
    title: `SEC sues ${id}`,
    post: `SEC sues ${id}\n\nThe SEC sued.`,
    thread: [`1/ SEC sues ${id}`, `2/ Staking ${id}`, `3/ Court ${id}`],
  });

const stateOf = async (storyId: string, name: string) =>
  (await store.publications(storyId)).find((p) => p.destination === name)?.state;

async function settledAs(storyId: string, name: string, state: string): Promise<void> {
  await expect.poll(() => stateOf(storyId, name), { timeout: 15_000, interval: 100 }).toBe(state);
}

/** A previewed and confirmed update, its jobs queued while no worker runs. */
async function confirmedUpdate(storyId: string): Promise<{ tweets: string[] }> {
  // X refuses a post it has seen from the account before: each story's update has its own words.
  const proposed = await desk.proposeUpdate(storyId, `In case ${storyId}: ${UPDATE} (${storyId})`, editor);
  if (!proposed.ok) throw new Error(proposed.error);
  const sent = await desk.sendUpdate(storyId, proposed.value.amendment.id, editor);
  if (!sent.ok) throw new Error(sent.error);
  const xOp = sent.value.amendment.operations.find((o) => o.destination === 'x')!;
  const tweets = xOp.steps.map((s) => (s.kind === 'x-reply' || s.kind === 'x-continue' ? s.text : ''));
  expect(tweets.length).toBeGreaterThan(1);
  return { tweets };
}

describe('an update whose worker dies between the Telegram reply and the X continuation', () => {
  it('resumes: the channel reply is not sent again, the first tweet is found on X, the rest follows it once', async () => {
    await stopWorker();
    const { messageId, tweets: thread } = await published('liv00001');
    const { tweets } = await confirmedUpdate('liv00001');
    const telegramOp = amendmentDestination('telegram', 'u1');
    const xOp = amendmentDestination('x', 'u1');
    const past = new Date(Date.now() - 10_000).toISOString();
    // The worker that died: its channel reply went out and was recorded; it marked the X continuation's
    // first tweet `sending`, the tweet landed, and it died before recording it or posting the next one.
    await store.transition('liv00001', telegramOp, { from: ['scheduled'], to: 'publishing', at: past });
    const reply = await telegram.send(
      CHANNEL,
      { method: 'sendMessage', text: 'Update', entities: [] },
      undefined,
      { replyToMessageId: messageId },
    );
    await store.setPart('liv00001', telegramOp, {
      index: 0,
      state: 'sent',
      remoteId: String(reply.messageId),
      at: past,
    });
    await store.transition('liv00001', xOp, { from: ['scheduled'], to: 'publishing', at: past });
    await store.setPart('liv00001', xOp, { index: 0, state: 'sending', at: past, attempt: 'dead-worker' });
    const landed = await x.tweet(tweets[0]!, { replyToId: thread.at(-1)! });

    startWorker();
    await settledAs('liv00001', telegramOp, 'published');
    await settledAs('liv00001', xOp, 'published');
    const channelReplies = telegramStandIn
      .messages(CHANNEL)
      .filter((m) => m.reply_to_message_id === messageId);
    expect(channelReplies).toHaveLength(1);
    const continuation = xStandIn.tweets().filter((t) => tweets.includes(t.text) || t.id === landed.id);
    expect(continuation.map((t) => t.text)).toEqual(tweets);
    expect(continuation.map((t) => t.in_reply_to_tweet_id)).toEqual([
      thread.at(-1),
      ...continuation.slice(0, -1).map((t) => t.id),
    ]);
    const parts = await store.parts('liv00001', xOp);
    expect(parts.map((p) => [p.state, p.remoteId])).toEqual(continuation.map((t) => ['sent', t.id]));
  });

  it('a channel reply whose outcome is unknown is left to an editor, never sent again', async () => {
    await stopWorker();
    const { messageId } = await published('liv00002');
    await confirmedUpdate('liv00002');
    const telegramOp = amendmentDestination('telegram', 'u1');
    const past = new Date(Date.now() - 10_000).toISOString();
    // The worker died after marking the reply `sending`: Telegram cannot be asked whether it went out.
    await store.transition('liv00002', telegramOp, { from: ['scheduled'], to: 'publishing', at: past });
    await store.setPart('liv00002', telegramOp, {
      index: 0,
      state: 'sending',
      at: past,
      attempt: 'dead-worker',
    });
    const before = telegramStandIn.calls('sendMessage').length;

    startWorker();
    await settledAs('liv00002', telegramOp, 'needs-attention');
    await settledAs('liv00002', amendmentDestination('x', 'u1'), 'published');
    expect(telegramStandIn.calls('sendMessage').length).toBe(before);
    expect(telegramStandIn.messages(CHANNEL).filter((m) => m.reply_to_message_id === messageId)).toEqual([]);
    expect((await store.parts('liv00002', telegramOp))[0]?.state).toBe('unknown');
  });
});

describe('an update on a paced destination', () => {
  it('takes each tweet from the shared budget: it waits for the budget, then every tweet goes out once, in order', async () => {
    await stopWorker();
    const spacingMs = 3_000;
    const pacer = new RedisPacer(
      redis,
      prefix,
      new Map([
        ['x', destinationScheduleSchema.parse({ platform: 'x', rate: { minIntervalMs: spacingMs } })],
      ]),
    );
    const { tweets: thread } = await published('liv00003');
    const { tweets } = await confirmedUpdate('liv00003');
    // A story's tweet just took the budget: the update's first tweet must wait for it.
    expect(await pacer.reserve('x')).toBe(0);
    const reservedAt = Date.now();
    const paced = startAmendWorker({
      connection,
      prefix,
      store,
      leases: new RedisPublicationLeases(redis, prefix),
      targetFor: (d) =>
        d === 'telegram'
          ? { platform: 'telegram', port: telegram, chatId: CHANNEL }
          : { platform: 'x', port: x, policy: { recheckMs: 0 } },
      pacer,
      retry: { attempts: 4, backoffMs: 100 },
      lockDurationMs: 5_000,
      now: () => new Date(),
      logger: silentLogger,
    });
    try {
      await settledAs('liv00003', amendmentDestination('x', 'u1'), 'published');
    } finally {
      await paced.close();
    }
    const continuation = xStandIn.tweets().filter((t) => tweets.includes(t.text));
    expect(continuation.map((t) => t.text)).toEqual(tweets);
    expect(continuation.map((t) => t.in_reply_to_tweet_id)).toEqual([
      thread.at(-1),
      ...continuation.slice(0, -1).map((t) => t.id),
    ]);
    // Lower bounds only (the pacing's own), with a second of slack for clocks.
    const at = continuation.map((t) => Date.parse(t.created_at));
    expect(at[0]! - reservedAt).toBeGreaterThanOrEqual(spacingMs - 1_000);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(spacingMs - 1_000);
    // The budget saw the update's tweets: the next post on x waits again.
    expect(await pacer.reserve('x')).toBeGreaterThan(0);
  }, 30_000);
});

describe('Send update and Discard pressed at the same moment', () => {
  it('one of them wins whole: a sent update is never recorded as discarded, a discarded one never goes out', async () => {
    await stopWorker();
    // The Discard lands a little later each time, so that across the runs it falls before, inside and
    // after the Send's window between reading the proposal and confirming it.
    for (let n = 0; n < 12; n++) {
      const id = `lrace${String(n).padStart(3, '0')}`;
      await published(id);
      const proposed = await desk.proposeUpdate(id, `The court set a hearing for March ${n + 1}.`, editor);
      if (!proposed.ok) throw new Error(proposed.error);
      const [sent, discarded] = await Promise.all([
        desk.sendUpdate(id, 'u1', editor),
        new Promise((r) => setTimeout(r, n * 2)).then(() => desk.discardUpdate(id, 'u1', editor)),
      ]);
      expect([sent.ok, discarded.ok].filter(Boolean)).toHaveLength(1);
      const u1 = (await store.get(id))?.amendments?.find((a) => a.id === 'u1');
      const operations = (await store.publications(id)).filter((p) => p.destination.endsWith('~u1'));
      if (sent.ok) {
        expect(u1?.discarded).toBeUndefined();
        expect(operations.map((p) => p.destination).sort()).toEqual(['telegram~u1', 'x~u1']);
      } else {
        expect(u1?.discarded).toBe(true);
        expect(operations).toEqual([]);
      }
    }
  });
});
