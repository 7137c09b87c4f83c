import type { Redis } from 'ioredis';
import { deletePrefix, testRedis } from '../../harness/redis.js';
import { standInEnv } from '../../harness/stand-in-env.js';
import { type App, startApp } from '../../src/app/start-app.js';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { TelegramStandIn } from '../../src/sandbox/standins/telegram/index.js';
import type { XStandIn } from '../../src/sandbox/standins/x/index.js';
import { type Logger, silentLogger } from '../../src/util/logger.js';

/** regwire running against stand-ins, with a Redis connection for the test's own checks. */
export interface StandInApp {
  readonly app: App;
  readonly redis: Redis;
  /** Stops regwire, deletes every key under the prefix, closes the connection and both stand-ins. */
  close(): Promise<void>;
}

/**
 * Starts regwire (every role) on `config`, by default the one {@link standInEnv} gives for `prefix` and
 * the two stand-ins. The stand-ins are the caller's to start; `close` stops them too.
 */
export async function startStandInApp(options: {
  readonly prefix: string;
  readonly telegram: TelegramStandIn;
  readonly x: XStandIn;
  readonly config?: Config;
  readonly logger?: Logger;
}): Promise<StandInApp> {
  const { prefix, telegram, x } = options;
  const redis = testRedis();
  const release = async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await telegram.close();
    await x.close();
  };
  const config = options.config ?? loadConfig({ env: standInEnv({ prefix, telegram, x }) });
  let app: App;
  try {
    app = await startApp(config, options.logger ?? silentLogger);
  } catch (err) {
    await release();
    throw err;
  }
  return {
    app,
    redis,
    async close() {
      await app.close();
      await release();
    },
  };
}
