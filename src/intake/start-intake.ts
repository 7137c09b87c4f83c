import { type FeedPolling, INTAKE_QUEUE, startFeedPolling } from '../../jobs/feed-poll.job.js';
import type { RedisClient } from '../adapters/redis/redis-connection.js';
import { bullPrefix } from '../adapters/redis/redis-keys.js';
import type { DeskServices } from '../app/desk-services.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../util/logger.js';
import { FeedIntake } from './feed-intake.js';
import { IntakeStore } from './intake-store.js';

/** Running feed intake: stop it on shutdown (in-flight polls finish; their fetches are aborted). */
export interface RunningIntake {
  readonly intake: FeedIntake;
  readonly polling: FeedPolling;
  close(): Promise<void>;
}

/**
 * Starts feed intake from `config.sources`: one BullMQ job scheduler per enabled source, polls drafting
 * through the desk and announcing on the intake bus. Without sources it only removes stale schedulers.
 */
export async function startIntake(
  config: Config,
  redis: RedisClient,
  services: Pick<DeskServices, 'desk' | 'store' | 'intake'>,
  logger: Logger,
  options: {
    now?: () => number;
    fetchImpl?: typeof fetch;
    linkFetch?: typeof fetch;
  } = {},
): Promise<RunningIntake> {
  const abort = new AbortController();
  const intake = new FeedIntake({
    config: config.sources,
    desk: services.desk,
    store: services.store,
    state: new IntakeStore(redis, config.queuePrefix),
    events: services.intake,
    logger,
    now: options.now ?? Date.now,
    signal: abort.signal,
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    ...(options.linkFetch ? { linkFetch: options.linkFetch } : {}),
  });
  const polling = await startFeedPolling(
    {
      connection: redis,
      prefix: bullPrefix(config.queuePrefix, INTAKE_QUEUE),
      sources: config.sources.sources,
    },
    { intake, logger },
  );
  if (config.sources.sources.length > 0) {
    logger.info(
      { sources: config.sources.sources.map((s) => `${s.id} (${s.mode})`) },
      'intake: polling feeds',
    );
  }
  return {
    intake,
    polling,
    async close() {
      abort.abort();
      await polling.close();
    },
  };
}
