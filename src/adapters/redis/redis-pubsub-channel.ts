import type { Redis } from 'ioredis';
import type { Logger } from '../../util/logger.js';

export interface RedisPubSubChannelOptions {
  /** Starts the log messages: `<name> subscriber error`, `<name> subscribe failed`, `<name> listener failed`. */
  readonly name: string;
  /** Log a throwing listener and still call the others; otherwise the error propagates. */
  readonly isolateListeners?: boolean;
}

/**
 * JSON messages of type `T` over one Redis pub/sub channel, from and to any process. Subscribing opens
 * one dedicated connection (a subscribed ioredis connection cannot run other commands). Fire-and-forget:
 * a message published while nobody listens is lost; one that is not JSON is ignored.
 */
export class RedisPubSubChannel<T> {
  private subscriber: Redis | undefined;
  private ready: Promise<unknown> | undefined;
  private readonly listeners = new Set<(message: T) => void>();

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly logger: Logger,
    private readonly options: RedisPubSubChannelOptions,
  ) {}

  async publish(message: T): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(message));
  }

  /** Returns unsubscribe. */
  subscribe(listener: (message: T) => void): () => void {
    this.listeners.add(listener);
    if (!this.subscriber) {
      const { name } = this.options;
      const sub = this.redis.duplicate();
      this.subscriber = sub;
      sub.on('error', (err) => this.logger.warn({ err: err.message }, `${name} subscriber error`));
      sub.on('message', (_channel, raw) => {
        let message: T;
        try {
          message = JSON.parse(raw) as T;
        } catch {
          return;
        }
        for (const l of this.listeners) {
          if (!this.options.isolateListeners) {
            l(message);
            continue;
          }
          try {
            l(message);
          } catch (err) {
            this.logger.warn({ err: (err as Error).message }, `${name} listener failed`);
          }
        }
      });
      this.ready = sub
        .subscribe(this.channel)
        .catch((err: Error) => this.logger.error({ err: err.message }, `${name} subscribe failed`));
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
