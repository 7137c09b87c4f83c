import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorkerChild, type WorkerChild } from '../../../harness/delivery-child.js';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { createDeskServices, type DeskServices } from '../../../src/app/desk-services.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { amendmentDestination } from '../../../src/domain/amendment.js';
import {
  startTelegramStandIn,
  TELEGRAM_SANDBOX_CHANNEL,
  type TelegramStandIn,
} from '../../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../../src/util/logger.js';
import { deliveryStory, standInEnv, writeDeliveryConfig } from '../../support/delivery-harness.js';
import { waitFor } from '../../support/wait-for.js';

// A regwire worker process is SIGKILLed while a live story's update goes out: after its channel reply,
// while the X continuation's first tweet is in flight. The stand-ins live in this process, so what the
// platforms received survives the kill; a new worker finishes the update, each post exactly once.
// Stalled-job recovery is shortened for the test (lock 1 s, checked every 0.5 s).

const CHANNEL = TELEGRAM_SANDBOX_CHANNEL.id;
const EDITOR = { kind: 'editor' as const, id: 1, name: '@ada' };
const UPDATE = [
  'The issuers asked for ninety days instead of sixty, saying the documents requested span six years of custody records held with four different banks.',
  '',
  'The authority said it would answer the request within a week and that the review itself is not paused while it decides.',
].join('\n');

describe('a worker killed between an update’s channel reply and its X continuation', () => {
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let redis: Redis;
  let services: DeskServices;
  let removeConfig: () => void;
  let env: Record<string, string>;
  let child: WorkerChild | undefined;
  const prefix = uniquePrefix('live-kill');

  beforeAll(async () => {
    telegram = await startTelegramStandIn({ floodLimits: false });
    x = await startXStandIn();
    redis = testRedis();
    const written = writeDeliveryConfig({
      concurrency: 2,
      attempts: 8,
      backoffMs: 50,
      requestTimeoutMs: 3_000,
    });
    removeConfig = written.remove;
    env = {
      ...standInEnv({ redisUrl: TEST_REDIS_URL, prefix, configDir: written.dir, telegram, x }),
      LOG_LEVEL: 'warn',
      REGWIRE_TEST_LOCK_MS: '1000',
      REGWIRE_TEST_STALLED_MS: '500',
    };
    services = createDeskServices(loadConfig({ env }), redis, silentLogger);
  });

  afterAll(async () => {
    await child?.kill();
    await services?.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await telegram?.close();
    await x?.close();
    removeConfig?.();
  });

  it('the new worker sends neither again: one channel reply, each tweet of the continuation once, in a chain', async () => {
    const { store, desk } = services;
    const stateOf = async (id: string, d: string) =>
      (await store.publications(id)).find((p) => p.destination === d)?.state;
    child = spawnWorkerChild(env);
    await child.ready;
    const drafted = await desk.createDraft(deliveryStory(1, 'live-kill'), EDITOR);
    if (!drafted.ok) throw new Error(drafted.error);
    const storyId = drafted.value.story.id;
    expect((await desk.schedule(storyId, { mode: 'now' }, EDITOR)).ok).toBe(true);
    await waitFor(
      async () =>
        (await stateOf(storyId, 'telegram')) === 'published' && (await stateOf(storyId, 'x')) === 'published',
      { what: 'the story to be published', timeoutMs: 20_000 },
    );
    const [post] = telegram.botReplies(CHANNEL);
    const threadEnd = x.tweets().at(-1)!;

    // Slow tweets: the kill lands while the continuation's first tweet is in flight.
    x.faults.add({ method: 'POST /2/tweets', kind: 'latency', latencyMs: 1_500 });
    const proposed = await desk.proposeUpdate(storyId, UPDATE, EDITOR);
    if (!proposed.ok) throw new Error(proposed.error);
    const sent = await desk.sendUpdate(storyId, proposed.value.amendment.id, EDITOR);
    if (!sent.ok) throw new Error(sent.error);
    const xSteps = sent.value.amendment.operations.find((o) => o.destination === 'x')!.steps;
    const texts = xSteps.map((s) => (s.kind === 'x-reply' || s.kind === 'x-continue' ? s.text : ''));
    expect(texts.length).toBeGreaterThan(1);
    const telegramOp = amendmentDestination('telegram', 'u1');
    const xOp = amendmentDestination('x', 'u1');
    await waitFor(
      async () =>
        (await stateOf(storyId, telegramOp)) === 'published' &&
        (await store.parts(storyId, xOp)).some((p) => p.index === 0 && p.state === 'sending'),
      { what: 'the channel reply out and the first tweet in flight', timeoutMs: 20_000, intervalMs: 5 },
    );
    await child.kill();
    expect((await store.parts(storyId, xOp)).find((p) => p.index === 0)?.state).toBe('sending');
    x.faults.clear();

    child = spawnWorkerChild(env);
    await child.ready;
    await waitFor(async () => (await stateOf(storyId, xOp)) === 'published', {
      what: 'the X continuation to finish after the kill',
      timeoutMs: 30_000,
    });
    expect(await stateOf(storyId, telegramOp)).toBe('published');
    expect(
      telegram.botReplies(CHANNEL).filter((m) => m.reply_to_message_id === post!.message_id),
    ).toHaveLength(1);
    const continuation = x.tweets().filter((t) => texts.includes(t.text));
    expect(continuation.map((t) => t.text)).toEqual(texts);
    expect(continuation.map((t) => t.in_reply_to_tweet_id)).toEqual([
      threadEnd.id,
      ...continuation.slice(0, -1).map((t) => t.id),
    ]);
  }, 60_000);
});
