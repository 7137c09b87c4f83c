import { EDITORS_DIGEST_MAX_AGE_MS, type IntakeBus, type IntakeEvent } from '../../ports/intake-bus.js';
import type { Logger } from '../../util/logger.js';
import type { RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';
import { RedisStreamBus } from './redis-stream-bus.js';

/**
 * {@link IntakeBus} on the Redis stream `<prefix>:intake-events`, read by the consumer group `editor-bot`:
 * news raised while the bot is down or restarting reaches the editors when it is back (see
 * {@link RedisStreamBus}): intake's news up to 12 hours late, the editors' digest up to
 * {@link EDITORS_DIGEST_MAX_AGE_MS}. A listener that throws is logged and does not keep the others from the
 * event. `now` is the reader's clock for those ages (default `Date.now`; tests move it).
 */
export class RedisIntakeBus extends RedisStreamBus<IntakeEvent> implements IntakeBus {
  constructor(redis: RedisClient, prefix: string, logger: Logger, options: { now?: () => number } = {}) {
    super(redis, redisKeys.intakeEvents(prefix), logger, {
      name: 'intake',
      group: 'editor-bot',
      maxAgeMsOf: (event) => (event.kind === 'editors-digest' ? EDITORS_DIGEST_MAX_AGE_MS : undefined),
      ...(options.now ? { now: options.now } : {}),
    });
  }
}
