import type { CreditHold, CreditHolds } from '../../ports/credit-holds.js';
import type { RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';

/** {@link CreditHolds} in Redis: one key per destination, beside its pacing (`SET NX`, no expiry). */
export class RedisCreditHolds implements CreditHolds {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async hold(destination: string, hold: CreditHold): Promise<boolean> {
    const key = redisKeys.creditHold(this.prefix, destination);
    return (await this.redis.set(key, JSON.stringify(hold), 'NX')) === 'OK';
  }

  async release(destination: string): Promise<boolean> {
    return (await this.redis.del(redisKeys.creditHold(this.prefix, destination))) > 0;
  }

  async current(destination: string): Promise<CreditHold | undefined> {
    const raw = await this.redis.get(redisKeys.creditHold(this.prefix, destination));
    return raw === null ? undefined : (JSON.parse(raw) as CreditHold);
  }
}
