import type { Alert, AlertBus } from '../../ports/alert-bus.js';
import type { Logger } from '../../util/logger.js';
import type { RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';
import { RedisStreamBus } from './redis-stream-bus.js';

/** Options of {@link RedisAlertBus}. */
export interface RedisAlertBusOptions {
  /** An alert the bot failed to deliver comes again after this long (doubling, up to 10 min). Default 30 s. */
  readonly retryFailedAfterMs?: number;
}

/**
 * {@link AlertBus} on the Redis stream `<prefix>:alerts`, read by the consumer group `editor-bot`: a worker
 * in any process reaches the bot, and an alert raised while the bot is down or restarting reaches the
 * editors when it is back, however long that took (see {@link RedisStreamChannel}). An alert whose
 * listener rejected (it reached no editor) stays unacknowledged and is handed out again. Only the stream's
 * length bounds it: beyond 10 000 alerts nobody handled, the oldest are trimmed.
 */
export class RedisAlertBus extends RedisStreamBus<Alert> implements AlertBus {
  constructor(redis: RedisClient, prefix: string, logger: Logger, options: RedisAlertBusOptions = {}) {
    super(redis, redisKeys.alerts(prefix), logger, {
      name: 'alerts',
      group: 'editor-bot',
      // Each alert is a post an editor must decide about: it never goes stale.
      maxAgeMs: Number.POSITIVE_INFINITY,
      maxLength: 10_000,
      retryFailedAfterMs: options.retryFailedAfterMs ?? 30_000,
    });
  }
}
