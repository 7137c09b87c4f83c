import type { Redis } from 'ioredis';
import { spawnWorkerChild, type WorkerChild } from '../../harness/delivery-child.js';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
import { createDeskServices, type DeskServices } from '../../src/app/desk-services.js';
import { loadConfig } from '../../src/config/load-config.js';
import {
  type StandInMessage,
  startTelegramStandIn,
  TELEGRAM_SANDBOX_CHANNEL,
  type TelegramStandIn,
} from '../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { deliveryStory, standInEnv, writeDeliveryConfig } from './delivery-harness.js';
import { waitFor } from './wait-for.js';

/** The editor who acts in the kill tests. */
export const KILL_EDITOR = { kind: 'editor' as const, id: 1, name: '@ada' };

/**
 * For killing a regwire worker process in the middle of an amendment: the stand-ins in this process (what
 * the platforms received survives the kill), desk services on real Redis under a fresh prefix, and worker
 * processes with stalled-job recovery shortened (lock 2 s, checked every second).
 */
export interface AmendmentKillRig {
  readonly telegram: TelegramStandIn;
  readonly x: XStandIn;
  readonly services: DeskServices;
  /** A story's publication state on `destination` (`telegram`, `x~u1`, …). */
  stateOf(storyId: string, destination: string): Promise<string | undefined>;
  /** Starts a worker process and waits until it is ready (the previous one, if any, is left as it is). */
  startWorker(): Promise<WorkerChild>;
  /** Queues a story now and waits until it is out on both platforms: its channel post and its thread. */
  publishStory(
    tag: string,
  ): Promise<{ storyId: string; post: StandInMessage; thread: ReturnType<XStandIn['tweets']> }>;
  close(): Promise<void>;
}

export async function startAmendmentKillRig(name: string): Promise<AmendmentKillRig> {
  const telegram = await startTelegramStandIn({ floodLimits: false });
  const x = await startXStandIn();
  const redis: Redis = testRedis();
  const prefix = uniquePrefix(name);
  const written = writeDeliveryConfig({
    concurrency: 2,
    attempts: 8,
    backoffMs: 50,
    requestTimeoutMs: 3_000,
  });
  const env = {
    ...standInEnv({ redisUrl: TEST_REDIS_URL, prefix, configDir: written.dir, telegram, x }),
    LOG_LEVEL: 'warn',
    // A 2 s lease, as the torture run's: with 1 s, a loaded CI machine could delay a renewal past two
    // thirds of it, and the lease keeper then (rightly) took back the `sending` mark before the send began,
    // so the kill no longer fell between the two platforms.
    REGWIRE_TEST_LOCK_MS: '2000',
    REGWIRE_TEST_STALLED_MS: '1000',
  };
  const services = createDeskServices(loadConfig({ env }), redis, silentLogger);
  const children: WorkerChild[] = [];
  const stateOf = async (storyId: string, destination: string) =>
    (await services.store.publications(storyId)).find((p) => p.destination === destination)?.state;
  return {
    telegram,
    x,
    services,
    stateOf,
    async startWorker() {
      const child = spawnWorkerChild(env);
      children.push(child);
      await child.ready;
      return child;
    },
    async publishStory(tag) {
      const { desk } = services;
      const drafted = await desk.createDraft(deliveryStory(1, tag), KILL_EDITOR);
      if (!drafted.ok) throw new Error(drafted.error);
      const storyId = drafted.value.story.id;
      const scheduled = await desk.schedule(storyId, { mode: 'now' }, KILL_EDITOR);
      if (!scheduled.ok) throw new Error(scheduled.error);
      await waitFor(
        async () =>
          (await stateOf(storyId, 'telegram')) === 'published' &&
          (await stateOf(storyId, 'x')) === 'published',
        { what: 'the story to be published', timeoutMs: 20_000 },
      );
      const [post] = telegram.botReplies(TELEGRAM_SANDBOX_CHANNEL.id);
      if (!post) throw new Error('no channel post');
      return { storyId, post, thread: x.tweets() };
    },
    async close() {
      await Promise.all(children.map((c) => c.kill()));
      await services.close();
      await deletePrefix(redis, prefix);
      redis.disconnect();
      await telegram.close();
      await x.close();
      written.remove();
    },
  };
}
