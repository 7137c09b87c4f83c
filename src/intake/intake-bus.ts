import type { Redis } from 'ioredis';
import { RedisPubSubChannel } from '../adapters/redis/redis-pubsub-channel.js';
import type { IntakeEvent } from '../app/desk.js';
import type { Logger } from '../util/logger.js';

/** Carries feed-intake news from the polling worker (any process) to whoever tells editors (the bot). */
export interface IntakeBus {
  publish(event: IntakeEvent): Promise<void>;
  /** Returns unsubscribe. */
  subscribe(listener: (event: IntakeEvent) => void): () => void;
}

/**
 * {@link IntakeBus} over Redis pub/sub on `<prefix>:intake-events`. Subscribing opens one dedicated
 * connection (a subscribed ioredis connection cannot run other commands). Fire-and-forget like alerts:
 * an event published while nobody listens is lost, the story itself is safe in the store. A listener
 * that throws is logged and does not keep the others from the event.
 */
export class RedisIntakeBus implements IntakeBus {
  private readonly channel: RedisPubSubChannel<IntakeEvent>;

  constructor(redis: Redis, prefix: string, logger: Logger) {
    this.channel = new RedisPubSubChannel<IntakeEvent>(redis, `${prefix}:intake-events`, logger, {
      name: 'intake',
      isolateListeners: true,
    });
  }

  async publish(event: IntakeEvent): Promise<void> {
    await this.channel.publish(event);
  }

  subscribe(listener: (event: IntakeEvent) => void): () => void {
    return this.channel.subscribe(listener);
  }

  /** Resolves once the subscription is live (tests: subscribe, await this, then act). */
  async whenSubscribed(): Promise<void> {
    await this.channel.whenSubscribed();
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}
