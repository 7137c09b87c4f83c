import { AmendQueue } from '../../jobs/amend-queue.js';
import { PublishQueues } from '../../jobs/publish-queues.js';
import { RedisAlertBus } from '../adapters/redis/redis-alert-bus.js';
import type { RedisClient } from '../adapters/redis/redis-connection.js';
import { RedisIntakeBus } from '../adapters/redis/redis-intake-bus.js';
import { RedisPacer } from '../adapters/redis/redis-pacer.js';
import { RedisPlanStore } from '../adapters/redis/redis-plan-store.js';
import { RedisSpendLedger } from '../adapters/redis/redis-spend-ledger.js';
import { RedisStoryStore } from '../adapters/redis/redis-story-store.js';
import type { ReplicaWait } from '../adapters/redis/replica-wait.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../util/logger.js';
import { DeskService } from './desk-service.js';
import { XSpendDesk } from './x-spend-desk.js';

/** The Redis-backed pieces every role shares (CLI, workers, bot, web), built from one connection. */
export interface DeskServices {
  readonly store: RedisStoryStore;
  readonly plans: RedisPlanStore;
  readonly queues: PublishQueues;
  readonly pacer: RedisPacer;
  readonly alerts: RedisAlertBus;
  readonly intake: RedisIntakeBus;
  readonly desk: DeskService;
  /** The queue of corrections' and retractions' jobs. */
  readonly amendments: AmendQueue;
  close(): Promise<void>;
}

export function createDeskServices(
  config: Config,
  redis: RedisClient,
  logger: Logger,
  options: {
    now?: () => number;
    handles?: { telegramChannel?: string; xUsername?: string };
    /** Ledger writes wait for replicas (failover safety; see `config.redisReplicaWait`). */
    replicaWait?: ReplicaWait;
    /**
     * The clock the intake bus measures a message's age with, against its stream id (Redis server time):
     * default `Date.now`, not `now` (a desk clock set elsewhere would age every message). Tests move it.
     */
    busNow?: () => number;
  } = {},
): DeskServices {
  const now = options.now ?? Date.now;
  const replicaWait = options.replicaWait ? { replicaWait: options.replicaWait } : {};
  const store = new RedisStoryStore(redis, config.queuePrefix, replicaWait);
  const plans = new RedisPlanStore(redis, config.queuePrefix);
  const queues = new PublishQueues(redis, config.queuePrefix, config.destinations, now, (err) =>
    logger.warn({ err: err.message }, 'publish queue connection error'),
  );
  const pacer = new RedisPacer(
    redis,
    config.queuePrefix,
    new Map(config.destinations.map((d) => [d.id, d.schedule])),
    replicaWait,
  );
  const alerts = new RedisAlertBus(redis, config.queuePrefix, logger);
  const intake = new RedisIntakeBus(
    redis,
    config.queuePrefix,
    logger,
    options.busNow ? { now: options.busNow } : {},
  );
  const amendments = new AmendQueue(redis, config.queuePrefix);
  const desk = new DeskService({
    destinations: config.destinations,
    format: config.format,
    digest: config.digest,
    store,
    plans,
    scheduler: queues,
    pacer,
    alerts,
    intake,
    amendments,
    approval: config.approval,
    xSpend: new XSpendDesk({
      ledger: new RedisSpendLedger(redis, config.queuePrefix),
      destinations: config.destinations,
      budget: config.xBilling.budget,
      pricesReadOn: config.xBilling.pricing.readOn,
      now,
    }),
    now,
    ...(options.handles ? { handles: options.handles } : {}),
  });
  return {
    store,
    plans,
    queues,
    pacer,
    alerts,
    intake,
    desk,
    amendments,
    async close() {
      await alerts.close();
      await intake.close();
      await queues.close();
      await amendments.close();
    },
  };
}
