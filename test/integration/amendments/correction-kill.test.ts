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

// A regwire worker process is SIGKILLed while a confirmed correction goes out: after the channel post was
// edited, while the X correction reply is in flight. The stand-ins live in this process, so the reply
// lands although its sender is dead; a new worker finds it on the timeline and posts nothing again, and
// the edit is not made twice. Stalled-job recovery is shortened for the test (lock 1 s, checked every 0.5 s).

const CHANNEL = TELEGRAM_SANDBOX_CHANNEL.id;
const EDITOR = { kind: 'editor' as const, id: 1, name: '@ada' };

describe('a worker killed between a correction’s Telegram edit and its X reply', () => {
  let telegram: TelegramStandIn;
  let x: XStandIn;
  let redis: Redis;
  let services: DeskServices;
  let removeConfig: () => void;
  let env: Record<string, string>;
  let child: WorkerChild | undefined;
  const prefix = uniquePrefix('correct-kill');

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

  it('the edit is made once and the correction reply posted once, under the first tweet', async () => {
    const { store, desk } = services;
    const stateOf = async (id: string, d: string) =>
      (await store.publications(id)).find((p) => p.destination === d)?.state;
    child = spawnWorkerChild(env);
    await child.ready;
    const drafted = await desk.createDraft(deliveryStory(1, 'correct-kill'), EDITOR);
    if (!drafted.ok) throw new Error(drafted.error);
    const storyId = drafted.value.story.id;
    expect((await desk.schedule(storyId, { mode: 'now' }, EDITOR)).ok).toBe(true);
    await waitFor(
      async () =>
        (await stateOf(storyId, 'telegram')) === 'published' && (await stateOf(storyId, 'x')) === 'published',
      { what: 'the story to be published', timeoutMs: 20_000 },
    );
    const [post] = telegram.botReplies(CHANNEL);
    const firstTweet = x.tweets()[0]!;

    // Slow tweets: the kill lands while the correction reply is in flight.
    x.faults.add({ method: 'POST /2/tweets', kind: 'latency', latencyMs: 1_500 });
    const proposed = await desk.proposeAmendment(
      storyId,
      { kind: 'correction', correction: { note: 'the fine was €2m, not €20m' } },
      EDITOR,
    );
    if (!proposed.ok) throw new Error(proposed.error);
    const confirmed = await desk.confirmAmendment(storyId, proposed.value.view.amendment.id, EDITOR);
    if (!confirmed.ok) throw new Error(confirmed.error);
    const telegramOp = amendmentDestination('telegram', 'c1');
    const xOp = amendmentDestination('x', 'c1');
    await waitFor(
      async () =>
        (await stateOf(storyId, telegramOp)) === 'published' &&
        (await store.parts(storyId, xOp)).some((p) => p.index === 0 && p.state === 'sending'),
      { what: 'the edit made and the X reply in flight', timeoutMs: 20_000, intervalMs: 5 },
    );
    await child.kill();
    expect((await store.parts(storyId, xOp)).find((p) => p.index === 0)?.state).toBe('sending');
    const editsBefore = telegram.calls('editMessageText').length;
    x.faults.clear();

    child = spawnWorkerChild(env);
    await child.ready;
    await waitFor(async () => (await stateOf(storyId, xOp)) === 'published', {
      what: 'the X correction reply to be settled after the kill',
      timeoutMs: 30_000,
    });
    expect(await stateOf(storyId, telegramOp)).toBe('published');
    // The edit was recorded before the kill: the new worker does not make it again.
    expect(telegram.calls('editMessageText').length).toBe(editsBefore);
    const edited = telegram.messages(CHANNEL).find((m) => m.message_id === post!.message_id)!;
    expect(edited.history).toHaveLength(1);
    expect(edited.text).toMatch(/Corrected \d\d:\d\d UTC: the fine was €2m, not €20m$/);
    const replies = x.tweets().filter((t) => t.text.startsWith('Correction:'));
    expect(replies.map((t) => [t.text, t.in_reply_to_tweet_id])).toEqual([
      ['Correction: the fine was €2m, not €20m', firstTweet.id],
    ]);
  }, 60_000);
});
