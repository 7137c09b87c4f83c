import { deletePrefix, TEST_REDIS_URL, testRedis, uniquePrefix } from '../../../harness/redis.js';
import { createDeskServices, type DeskServices } from '../../../src/app/desk-services.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { silentLogger } from '../../../src/util/logger.js';

/** The real desk on Redis, as the app builds it, under a key prefix of its own; `close` removes its keys. */
export interface RealDesk {
  readonly services: DeskServices;
  close(): Promise<void>;
}

export function startRealDesk(label = 'bot'): RealDesk {
  const prefix = uniquePrefix(label);
  const redis = testRedis();
  const config = loadConfig({ env: { REDIS_URL: TEST_REDIS_URL, REGWIRE_QUEUE_PREFIX: prefix } });
  const services = createDeskServices(config, redis, silentLogger);
  return {
    services,
    async close() {
      await services.close();
      await deletePrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
