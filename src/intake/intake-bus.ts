import type { Redis } from 'ioredis';
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
 * an event published while nobody listens is lost, the story itself is safe in the store.
 */
export class RedisIntakeBus implements IntakeBus {
  private subscriber: Redis | undefined;
  private ready: Promise<unknown> | undefined;
  private readonly listeners = new Set<(event: IntakeEvent) => void>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  private get channel(): string {
    return `${this.prefix}:intake-events`;
  }

  async publish(event: IntakeEvent): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(event));
  }

  subscribe(listener: (event: IntakeEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.subscriber) {
      const sub = this.redis.duplicate();
      this.subscriber = sub;
      sub.on('error', (err) => this.logger.warn({ err: err.message }, 'intake subscriber error'));
      sub.on('message', (_channel, message) => {
        let event: IntakeEvent;
        try {
          event = JSON.parse(message) as IntakeEvent;
        } catch {
          return;
        }
        for (const l of this.listeners) {
          try {
            l(event);
          } catch (err) {
            this.logger.warn({ err: (err as Error).message }, 'intake listener failed');
          }
        }
      });
      this.ready = sub
        .subscribe(this.channel)
        .catch((err: Error) => this.logger.error({ err: err.message }, 'intake subscribe failed'));
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves once the subscription is live (tests: subscribe, await this, then act). */
  async whenSubscribed(): Promise<void> {
    await this.ready;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const sub = this.subscriber;
    this.subscriber = undefined;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}
