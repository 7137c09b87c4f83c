import type { IntakeBus, IntakeEvent } from '../../ports/intake-bus.js';
import type { Logger } from '../../util/logger.js';
import type { RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';
import { RedisStreamChannel } from './redis-stream-channel.js';

/**
 * {@link IntakeBus} on the Redis stream `<prefix>:intake-events`, read by the consumer group `editor-bot`:
 * news raised while the bot is down or restarting reaches the editors when it is back (see
 * {@link RedisStreamChannel}). A listener that throws is logged and does not keep the others from the event.
 */
export class RedisIntakeBus implements IntakeBus {
  private readonly channel: RedisStreamChannel<IntakeEvent>;

  constructor(redis: RedisClient, prefix: string, logger: Logger) {
    this.channel = new RedisStreamChannel<IntakeEvent>(redis, redisKeys.intakeEvents(prefix), logger, {
      name: 'intake',
      group: 'editor-bot',
    });
  }

  async publish(event: IntakeEvent): Promise<void> {
    await this.channel.publish(event);
  }

  subscribe(listener: (event: IntakeEvent) => void | Promise<void>): () => void {
    return this.channel.subscribe(listener);
  }

  /** Resolves once the reader has caught up with what was waiting (tests: subscribe, await this, then act). */
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
