import type { Redis } from 'ioredis';
import { type DeliveryTestConfig, standInEnv, writeDeliveryConfig } from '../../harness/delivery-config.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../../harness/redis.js';
import { type App, startApp } from '../../src/app/start-app.js';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import {
  startTelegramStandIn,
  type TelegramStandIn,
  type TelegramStandInOptions,
} from '../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn, type XStandInOptions } from '../../src/sandbox/standins/x/index.js';
import { silentLogger } from '../../src/util/logger.js';

/** regwire's publish workers (or, with `workers: false`, only its desk services) on both stand-ins. */
export interface WorkersRig {
  readonly app: App;
  readonly telegram: TelegramStandIn;
  readonly x: XStandIn;
  readonly config: Config;
  readonly prefix: string;
  /** Stops regwire and both stand-ins, deletes the prefix's keys and the config folder. */
  close(): Promise<void>;
}

/** Options of {@link startWorkersRig}. */
export interface WorkersRigOptions {
  /** Key prefix's name part (a unique prefix is made from it). */
  readonly name: string;
  readonly delivery: DeliveryTestConfig;
  readonly telegram?: TelegramStandInOptions;
  readonly x?: XStandInOptions;
  /** False: start no workers (jobs wait in their queues). Default true. */
  readonly workers?: boolean;
}

/**
 * Starts both stand-ins, writes a delivery config, and runs regwire's workers on the test Redis under a
 * unique prefix: the set-up the delivery tests share.
 */
export async function startWorkersRig(redis: Redis, options: WorkersRigOptions): Promise<WorkersRig> {
  const telegram = await startTelegramStandIn({ floodLimits: false, ...options.telegram });
  const x = await startXStandIn({ ...options.x });
  const prefix = uniquePrefix(options.name);
  const { dir, remove } = writeDeliveryConfig(options.delivery);
  const config = loadConfig({
    env: standInEnv({ redisUrl: TEST_REDIS_URL, prefix, configDir: dir, telegram, x }),
  });
  const workers = options.workers ?? true;
  const app = await startApp(config, silentLogger, {
    roles: { workers, web: false, maintenance: false },
    shutdownGraceMs: 500,
  });
  return {
    app,
    telegram,
    x,
    config,
    prefix,
    async close() {
      await app.close();
      await telegram.close();
      await x.close();
      await deletePrefix(redis, prefix);
      remove();
    },
  };
}
