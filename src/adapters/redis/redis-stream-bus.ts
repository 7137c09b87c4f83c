import type { Logger } from '../../util/logger.js';
import type { RedisClient } from './redis-connection.js';
import { RedisStreamChannel, type RedisStreamChannelOptions } from './redis-stream-channel.js';

/**
 * A bus of `T` messages on one Redis stream read by one consumer group (see {@link RedisStreamChannel}):
 * what the alert and intake buses share. A message raised while its reader is down reaches it when it is
 * back; a listener's promise settles once the message is handled.
 */
export class RedisStreamBus<T> {
  private readonly channel: RedisStreamChannel<T>;

  constructor(redis: RedisClient, key: string, logger: Logger, options: RedisStreamChannelOptions<T>) {
    this.channel = new RedisStreamChannel<T>(redis, key, logger, options);
  }

  async publish(message: T): Promise<void> {
    await this.channel.publish(message);
  }

  /** See {@link RedisStreamChannel.publishOnce}. */
  publishOnce(message: T, onceKey: string, withinMs: number): Promise<boolean> {
    return this.channel.publishOnce(message, onceKey, withinMs);
  }

  subscribe(listener: (message: T) => void | Promise<void>): () => void {
    return this.channel.subscribe(listener);
  }

  /** Resolves once the reader has caught up with what was waiting (tests: subscribe, await this, then act). */
  async whenSubscribed(): Promise<void> {
    await this.channel.whenSubscribed();
  }

  /** How many are still to be handled by the reader (waiting or in hand). */
  backlog(): Promise<number> {
    return this.channel.backlog();
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}
