import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type DeliveryTestConfig, standInEnv, writeDeliveryConfig } from '../../harness/delivery-config.js';
import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../harness/redis.js';
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

/** A describe block's rigs: see {@link useWorkersRigs}. */
export interface WorkersRigs {
  /** The block's Redis client (open from its `beforeAll` to its `afterAll`). */
  redis(): Redis;
  /** Starts a rig, closed after the test that started it. */
  start(options: WorkersRigOptions): Promise<WorkersRig>;
  /** Closes `close` after this test, before the rigs (e.g. a web server on a rig's services). */
  closeFirst(close: () => Promise<void>): void;
}

/**
 * For a describe block whose tests each start their own rigs: one Redis client for the block, and every
 * rig a test started closed after it (what would otherwise leak into the next test). Call it in the block.
 */
export function useWorkersRigs(): WorkersRigs {
  let redis: Redis | undefined;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(() => redis?.disconnect());
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  const client = () => {
    if (!redis) throw new Error('useWorkersRigs: Redis is open only while the block runs');
    return redis;
  };
  return {
    redis: client,
    async start(options) {
      const rig = await startWorkersRig(client(), options);
      closers.push(() => rig.close());
      return rig;
    },
    closeFirst(close) {
      closers.unshift(close);
    },
  };
}
