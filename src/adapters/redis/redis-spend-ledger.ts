import type { SpendEntry, SpendLedger, SpendTotals } from '../../ports/spend-ledger.js';
import { luaScript } from './lua-script.js';
import { isCluster, type RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';

// Counted in millionths of a dollar, as integers (INCRBY): sums stay exact.
const MICROS = 1_000_000;
// Long enough for the budget check and /spend; a day's counter is not needed after its month.
const DAY_TTL_S = 40 * 24 * 3600;
const MONTH_TTL_S = 400 * 24 * 3600;

// Adds ARGV[1] to the day's (KEYS[1]) and the month's (KEYS[2]) counters and keeps their TTLs (ARGV[2], ARGV[3]).
const ADD_TO_PERIODS_LUA = `redis.call('INCRBY', KEYS[1], ARGV[1]) redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('INCRBY', KEYS[2], ARGV[1]) redis.call('EXPIRE', KEYS[2], ARGV[3])`;

/** The destination's counters (KEYS: day, month; ARGV: micros, day TTL, month TTL). */
const addToPeriods = luaScript('spend_add', `${ADD_TO_PERIODS_LUA} return 1`);

/** {@link addToPeriods} and the story's counter in one step (KEYS: + story hash; ARGV: + field). */
const addToPeriodsAndStory = luaScript(
  'spend_add_story',
  `${ADD_TO_PERIODS_LUA}
redis.call('HINCRBY', KEYS[3], ARGV[4], ARGV[1]) return 1`,
);

const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const utcMonth = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/**
 * {@link SpendLedger} in Redis: per destination a counter per UTC day and month (`{spend:<destination>}`),
 * per story a hash by kind beside the story's other keys. One script a record; on a cluster two commands
 * (the destination's counters share a slot, the story's hash is in the story's); neither is in a
 * publication's way.
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
    const story = redisKeys.storySpend(this.prefix, storyId, destination);
    if (!isCluster(this.redis)) {
      await addToPeriodsAndStory(
        this.redis,
        [day, month, story],
        [micros, DAY_TTL_S, MONTH_TTL_S, entry.kind],
      );
      return;
    }
    await Promise.all([
      addToPeriods(this.redis, [day, month], [micros, DAY_TTL_S, MONTH_TTL_S]),
      this.redis.hincrby(story, entry.kind, micros),
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
