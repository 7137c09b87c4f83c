import type { SpendEntry, SpendLedger, SpendTotals } from '../../ports/spend-ledger.js';
import type { RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';

// Counted in millionths of a dollar, as integers (INCRBY): sums stay exact.
const MICROS = 1_000_000;
// Long enough for the budget check and /spend; a day's counter is not needed after its month.
const DAY_TTL_S = 40 * 24 * 3600;
const MONTH_TTL_S = 400 * 24 * 3600;

const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const utcMonth = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/**
 * {@link SpendLedger} in Redis: per destination a counter per UTC day and month (`{spend:<destination>}`),
 * per story a hash by kind beside the story's other keys. Each counter is its own command (the keys live
 * in different slots on a cluster); none is in a publication's way.
 */
export class RedisSpendLedger implements SpendLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async record(destination: string, storyId: string, entry: SpendEntry): Promise<void> {
    const micros = Math.round(entry.usd * MICROS);
    if (micros === 0) return;
    const day = redisKeys.spend(this.prefix, destination, utcDay(entry.atMs));
    const month = redisKeys.spend(this.prefix, destination, utcMonth(entry.atMs));
    await Promise.all([
      this.redis.incrby(day, micros).then(() => this.redis.expire(day, DAY_TTL_S)),
      this.redis.incrby(month, micros).then(() => this.redis.expire(month, MONTH_TTL_S)),
      this.redis.hincrby(redisKeys.storySpend(this.prefix, storyId, destination), entry.kind, micros),
    ]);
  }

  async totals(destination: string, atMs: number): Promise<SpendTotals> {
    const [day, month] = await Promise.all([
      this.redis.get(redisKeys.spend(this.prefix, destination, utcDay(atMs))),
      this.redis.get(redisKeys.spend(this.prefix, destination, utcMonth(atMs))),
    ]);
    return { dayUsd: Number(day ?? 0) / MICROS, monthUsd: Number(month ?? 0) / MICROS };
  }

  async ofStory(storyId: string, destination: string): Promise<Partial<Record<SpendEntry['kind'], number>>> {
    const raw = await this.redis.hgetall(redisKeys.storySpend(this.prefix, storyId, destination));
    return Object.fromEntries(Object.entries(raw).map(([kind, micros]) => [kind, Number(micros) / MICROS]));
  }
}
