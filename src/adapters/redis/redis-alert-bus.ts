import type { Redis } from 'ioredis';
import type { Alert } from '../../app/desk.js';
import type { AlertBus } from '../../ports/alert-bus.js';
import type { Logger } from '../../util/logger.js';
import { RedisPubSubChannel } from './redis-pubsub-channel.js';

/**
 * {@link AlertBus} over Redis pub/sub on `<prefix>:alerts`, so a worker in any process reaches the bot.
 * Subscribing opens one dedicated connection (a subscribed ioredis connection cannot run other commands).
 */
export class RedisAlertBus implements AlertBus {
  private readonly channel: RedisPubSubChannel<Alert>;

  constructor(redis: Redis, prefix: string, logger: Logger) {
    this.channel = new RedisPubSubChannel<Alert>(redis, `${prefix}:alerts`, logger, { name: 'alert' });
  }

  async publish(alert: Alert): Promise<void> {
    await this.channel.publish(alert);
  }

  subscribe(listener: (alert: Alert) => void): () => void {
    return this.channel.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}
