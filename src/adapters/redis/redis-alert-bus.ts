import type { Redis } from 'ioredis';
import type { Alert } from '../../app/desk.js';
import type { AlertBus } from '../../ports/alert-bus.js';
import type { Logger } from '../../util/logger.js';
import { RedisStreamChannel } from './redis-stream-channel.js';

/**
 * {@link AlertBus} on the Redis stream `<prefix>:alerts`, read by the consumer group `editor-bot`: a worker
 * in any process reaches the bot, and an alert raised while the bot is down or restarting reaches the
 * editors when it is back (see {@link RedisStreamChannel}).
 */
export class RedisAlertBus implements AlertBus {
  private readonly channel: RedisStreamChannel<Alert>;

  constructor(redis: Redis, prefix: string, logger: Logger) {
    this.channel = new RedisStreamChannel<Alert>(redis, `${prefix}:alerts`, logger, {
      name: 'alerts',
      group: 'editor-bot',
    });
  }

  async publish(alert: Alert): Promise<void> {
    await this.channel.publish(alert);
  }

  subscribe(listener: (alert: Alert) => void | Promise<void>): () => void {
    return this.channel.subscribe(listener);
  }

  /** Resolves once the reader has caught up with what was waiting. */
  async whenSubscribed(): Promise<void> {
    await this.channel.whenSubscribed();
  }

  /** How many are still to be handled by the editor bot (waiting or in hand). */
  backlog(): Promise<number> {
    return this.channel.backlog();
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}
