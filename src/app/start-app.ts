import type { Worker } from 'bullmq';
import { type PartSender, telegramPartSender, xPartSender } from '../../jobs/part-sender.js';
import { PublishQueues } from '../../jobs/publish-queues.js';
import { startPublishWorkers } from '../../jobs/publish-workers.js';
import { createRedis } from '../adapters/redis/redis-connection.js';
import { RedisStoryStore } from '../adapters/redis/redis-story-store.js';
import { createTelegramPublisher } from '../adapters/telegram/index.js';
import { TwitterApiXPublisher } from '../adapters/x/index.js';
import type { Config, TelegramSettings, XSettings } from '../config/config.js';
import { storyFromInput } from '../domain/story-intake.js';
import { InputError } from '../errors/input-error.js';
import { render } from '../format/render.js';
import { type Sandbox, startSandbox } from '../sandbox/start-sandbox.js';
import type { Logger } from '../util/logger.js';
import { startWebServer, type WebServer } from '../web/web-server.js';
import { queueStory } from './queue-story.js';

/** A running regwire: workers, the web page and, in sandbox mode, the stand-ins. */
export interface App {
  readonly web: WebServer;
  readonly sandbox: Sandbox | undefined;
  readonly store: RedisStoryStore;
  readonly queues: PublishQueues;
  /** Stops taking jobs, lets in-flight sends finish (bounded), closes everything. */
  close(): Promise<void>;
}

// In-flight sends get this long to finish on shutdown before workers are closed hard.
const SHUTDOWN_GRACE_MS = 10_000;

/** The composition root: wires config to adapters, workers and the web page. */
export async function startApp(config: Config, logger: Logger): Promise<App> {
  const sandbox = config.sandbox ? await startSandbox() : undefined;
  const telegram: TelegramSettings | undefined = config.telegram ?? sandbox?.telegram;
  const x: XSettings | undefined = config.x ?? sandbox?.x;

  const redis = createRedis(config.redisUrl, 'app');
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const store = new RedisStoryStore(redis, config.queuePrefix);
  const queues = new PublishQueues(redis, config.queuePrefix, config.destinations, config.delivery);

  const senders = new Map<string, PartSender>();
  for (const d of config.destinations) {
    if (d.platform === 'telegram' && telegram) {
      const port = createTelegramPublisher({
        token: telegram.token,
        apiRoot: telegram.apiRoot,
        timeoutMs: config.delivery.requestTimeoutMs,
      });
      senders.set(d.id, telegramPartSender(port, telegram.channelId));
    } else if (d.platform === 'x' && x) {
      const port = new TwitterApiXPublisher({ ...x, timeoutMs: config.delivery.requestTimeoutMs });
      senders.set(d.id, xPartSender(port));
    }
  }
  const workers: Worker[] = startPublishWorkers({
    connection: redis,
    prefix: config.queuePrefix,
    senders,
    store,
    concurrency: config.delivery.concurrency,
    logger,
  });

  const destinations = config.destinations.map((d) => d.id);
  const web = await startWebServer({
    host: config.web.host,
    port: config.web.port,
    logger,
    ...(sandbox
      ? {
          feed: sandbox.feed,
          queue: async (input: unknown) => {
            const story = storyFromInput(input, config.format);
            const result = await queueStory(
              { store, scheduler: queues, now: Date.now },
              story,
              render(story, config.format),
              destinations,
              { mode: 'now' },
            );
            if (!result.queued) throw new InputError(`already queued as ${result.existingId}`);
            return result.storyId;
          },
        }
      : {}),
  });

  let closing: Promise<void> | undefined;
  return {
    web,
    sandbox,
    store,
    queues,
    close() {
      closing ??= (async () => {
        await web.close();
        const grace = new Promise<'timeout'>((r) => setTimeout(r, SHUTDOWN_GRACE_MS, 'timeout').unref());
        const graceful = Promise.all(workers.map((w) => w.close())).then(() => 'closed' as const);
        if ((await Promise.race([graceful, grace])) === 'timeout') {
          logger.warn('in-flight sends did not finish in time; closing workers hard');
          await Promise.all(workers.map((w) => w.close(true)));
        }
        await queues.close();
        await redis.quit().catch(() => redis.disconnect());
        await sandbox?.close();
      })();
      return closing;
    },
  };
}
