import type { PlanEntry, PlanStore } from '../../ports/plan-store.js';
import type { PlannedPublication } from '../../schedule/plan-publication.js';
import type { RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';
import { withRedisLock } from './redis-lock.js';

// Plans older than this are no longer needed for any rate window (X's longest is 24 h).
const KEEP_PAST_MS = 48 * 3_600_000;

/** {@link PlanStore} on Redis: per destination a sorted set (story id by due time) plus each entry's units. */
export class RedisPlanStore implements PlanStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  // One destination's plan keys share its hash tag: the MULTIs below stay in one slot.
  private key(kind: 'due' | 'units' | 'lock', destination: string): string {
    if (kind === 'due') return redisKeys.planDue(this.prefix, destination);
    return kind === 'units'
      ? redisKeys.planUnits(this.prefix, destination)
      : redisKeys.planLock(this.prefix, destination);
  }

  /** Entries due in `[fromMs, toMs]`, for the planner. */
  async entries(destination: string, fromMs: number, toMs: number): Promise<PlannedPublication[]> {
    const flat = await this.redis.zrangebyscore(this.key('due', destination), fromMs, toMs, 'WITHSCORES');
    const ids: string[] = [];
    const times: number[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      ids.push(flat[i] ?? '');
      times.push(Number(flat[i + 1]));
    }
    if (ids.length === 0) return [];
    const meta = await this.redis.hmget(this.key('units', destination), ...ids);
    return ids.map((storyId, i) => {
      const [units, breaking] = (meta[i] ?? '1:0').split(':');
      return { storyId, atMs: times[i] ?? 0, units: Number(units) || 1, breaking: breaking === '1' };
    });
  }

  async put(destination: string, entry: PlannedPublication, nowMs: number): Promise<void> {
    await this.redis
      .multi()
      .zadd(this.key('due', destination), entry.atMs, entry.storyId)
      .hset(this.key('units', destination), entry.storyId, `${entry.units}:${entry.breaking ? 1 : 0}`)
      .zremrangebyscore(this.key('due', destination), '-inf', nowMs - KEEP_PAST_MS)
      .exec();
  }

  async remove(destination: string, storyId: string): Promise<void> {
    await this.redis
      .multi()
      .zrem(this.key('due', destination), storyId)
      .hdel(this.key('units', destination), storyId)
      .exec();
  }

  /** The next entries due at or after `fromMs` on one destination, soonest first. */
  async upcoming(destination: string, fromMs: number, offset: number, limit: number): Promise<PlanEntry[]> {
    const flat = await this.redis.zrangebyscore(
      this.key('due', destination),
      fromMs,
      '+inf',
      'WITHSCORES',
      'LIMIT',
      offset,
      limit,
    );
    const out: PlanEntry[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      out.push({ storyId: flat[i] ?? '', destination, atMs: Number(flat[i + 1]) });
    }
    return out;
  }

  /**
   * Runs `fn` holding the destination's planning lock, so two editors scheduling at once never get the
   * same slot. The lock expires by itself if this process dies.
   */
  withLock<T>(destination: string, fn: () => Promise<T>): Promise<T> {
    return withRedisLock(
      this.redis,
      this.key('lock', destination),
      {
        ttlMs: 10_000,
        waitMs: 10_000,
        retryMs: () => 5 + Math.random() * 20,
        busy: `could not lock the plan of ${destination}`,
      },
      fn,
    );
  }
}
