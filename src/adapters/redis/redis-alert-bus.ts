import type { Redis } from 'ioredis';
import type { Alert } from '../../app/desk.js';
import type { AlertBus } from '../../ports/alert-bus.js';
import type { Logger } from '../../util/logger.js';

/**
 * {@link AlertBus} over Redis pub/sub, so a worker in any process reaches the bot. Subscribing opens
 * one dedicated connection (a subscribed ioredis connection cannot run other commands).
 */
export class RedisAlertBus implements AlertBus {
  private subscriber: Redis | undefined;
  private readonly listeners = new Set<(alert: Alert) => void>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  private get channel(): string {
    return `${this.prefix}:alerts`;
  }

  async publish(alert: Alert): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(alert));
  }

  subscribe(listener: (alert: Alert) => void): () => void {
    this.listeners.add(listener);
    if (!this.subscriber) {
      const sub = this.redis.duplicate();
      this.subscriber = sub;
      sub.on('error', (err) => this.logger.warn({ err: err.message }, 'alert subscriber error'));
      sub.on('message', (_channel, message) => {
        let alert: Alert;
        try {
          alert = JSON.parse(message) as Alert;
        } catch {
          return;
        }
        for (const l of this.listeners) l(alert);
      });
      sub
        .subscribe(this.channel)
        .catch((err: Error) => this.logger.error({ err: err.message }, 'alert subscribe failed'));
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const sub = this.subscriber;
    this.subscriber = undefined;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}
