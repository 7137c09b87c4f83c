import type { IntakeBus, IntakeEvent } from '../../ports/intake-bus.js';
import type { Logger } from '../../util/logger.js';
import type { RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';
import { RedisStreamBus } from './redis-stream-bus.js';

/**
 * {@link IntakeBus} on the Redis stream `<prefix>:intake-events`, read by the consumer group `editor-bot`:
 * news raised while the bot is down or restarting reaches the editors when it is back (see
 * {@link RedisStreamBus}). A listener that throws is logged and does not keep the others from the event.
 */
export class RedisIntakeBus extends RedisStreamBus<IntakeEvent> implements IntakeBus {
  constructor(redis: RedisClient, prefix: string, logger: Logger) {
    super(redis, redisKeys.intakeEvents(prefix), logger, { name: 'intake', group: 'editor-bot' });
  }
}
