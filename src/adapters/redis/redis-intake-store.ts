import type { IntakeStore, SeenStory, SourceState } from '../../ports/intake-store.js';
import { luaScript } from './lua-script.js';
import type { RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';
import { tryLock, withRedisLock } from './redis-lock.js';

const SEEN_KEEP = 5_000;
// Sets the 'alerted' flag and returns its previous value, in one atomic step.
const markOnce = luaScript(
  'intake_mark_alerted',
  `local p = redis.call('HGET', KEYS[1], 'alerted'); redis.call('HSET', KEYS[1], 'alerted', '1'); return p`,
);

/**
 * {@link IntakeStore} in Redis: per-source poll state (validators, failures, backoff) and seen item keys (each
 * source's own hash tag), and the cross-source dedup records (GUIDs, canonical URLs, titles) pointing at
 * the first story (one hash tag, written together), plus a lock so two polls never draft the same event
 * at once. Keys from `redisKeys.intake` and `redisKeys.intakeSource`.
 */
export class RedisIntakeStore implements IntakeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(kind: 'guid' | 'url' | 'titles' | 'lock'): string {
    return redisKeys.intake(this.prefix, kind);
  }

  private sourceKey(kind: 'state' | 'seen' | 'polling', sourceId: string): string {
    return redisKeys.intakeSource(this.prefix, sourceId, kind);
  }

  async sourceState(sourceId: string): Promise<SourceState> {
    const h = await this.redis.hgetall(this.sourceKey('state', sourceId));
    return {
      ...(h.etag ? { etag: h.etag } : {}),
      ...(h.lastModified ? { lastModified: h.lastModified } : {}),
      failures: Number(h.failures ?? 0) || 0,
      backoffUntilMs: Number(h.backoffUntil ?? 0) || 0,
      alerted: h.alerted === '1',
      ...(h.lastError ? { lastError: h.lastError } : {}),
      ...(h.lastOk ? { lastOkMs: Number(h.lastOk) } : {}),
    };
  }

  /** Records a successful poll: new validators (kept when absent), failures and backoff cleared. */
  async recordSuccess(
    sourceId: string,
    atMs: number,
    validators: { etag?: string | undefined; lastModified?: string | undefined },
  ): Promise<void> {
    const key = this.sourceKey('state', sourceId);
    const fields: Record<string, string> = {
      failures: '0',
      backoffUntil: '0',
      alerted: '0',
      lastOk: String(atMs),
    };
    if (validators.etag) fields.etag = validators.etag;
    if (validators.lastModified) fields.lastModified = validators.lastModified;
    await this.redis.multi().hset(key, fields).hdel(key, 'lastError').exec();
  }

  /** Counts a failed poll and sets the backoff; returns the new consecutive-failure count. */
  async recordFailure(sourceId: string, reason: string, backoffUntilMs: number): Promise<number> {
    const key = this.sourceKey('state', sourceId);
    const result = await this.redis
      .multi()
      .hincrby(key, 'failures', 1)
      .hset(key, { lastError: reason.slice(0, 500), backoffUntil: String(backoffUntilMs) })
      .exec();
    return Number(result?.[0]?.[1] ?? 1);
  }

  /** Marks "editors were told" once; true when this call set it (so exactly one caller alerts). */
  async markAlerted(sourceId: string): Promise<boolean> {
    const key = this.sourceKey('state', sourceId);
    const previous = await markOnce(this.redis, [key], []);
    return previous !== '1';
  }

  /** Forgets a source's poll state (it left the config). */
  async forgetSource(sourceId: string): Promise<void> {
    await this.redis.del(this.sourceKey('state', sourceId), this.sourceKey('seen', sourceId));
  }

  /** Which of `itemKeys` this source has already handled. */
  async seen(sourceId: string, itemKeys: readonly string[]): Promise<Set<string>> {
    if (itemKeys.length === 0) return new Set();
    const scores = await this.redis.zmscore(this.sourceKey('seen', sourceId), ...itemKeys);
    return new Set(itemKeys.filter((_, i) => scores[i] !== null));
  }

  async markSeen(sourceId: string, itemKeys: readonly string[], atMs: number): Promise<void> {
    if (itemKeys.length === 0) return;
    const key = this.sourceKey('seen', sourceId);
    const args = itemKeys.flatMap((k) => [atMs, k]);
    await this.redis
      .multi()
      .zadd(key, ...args)
      .zremrangebyrank(key, 0, -(SEEN_KEEP + 1))
      .exec();
  }

  /** The first story recorded under this GUID or canonical URL. */
  async storyFor(kind: 'guid' | 'url', value: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key(kind), value)) ?? undefined;
  }

  /**
   * Records a story's GUIDs, canonical URLs and title. Existing GUID/URL entries are kept (they point at
   * the first story).
   */
  async remember(
    storyId: string,
    keys: { guids: readonly string[]; urls: readonly string[]; title?: string },
    atMs: number,
  ): Promise<void> {
    const multi = this.redis.multi();
    for (const g of keys.guids) multi.hsetnx(this.key('guid'), g, storyId);
    for (const u of keys.urls) multi.hsetnx(this.key('url'), u, storyId);
    if (keys.title !== undefined) {
      multi.zadd(this.key('titles'), atMs, JSON.stringify({ storyId, title: keys.title }));
    }
    await multi.exec();
  }

  /** Titles recorded since `sinceMs`; older ones are pruned on the way. */
  async titlesSince(sinceMs: number): Promise<SeenStory[]> {
    const key = this.key('titles');
    await this.redis.zremrangebyscore(key, '-inf', `(${sinceMs}`);
    const raw = await this.redis.zrangebyscore(key, sinceMs, '+inf', 'WITHSCORES');
    const out: SeenStory[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      try {
        const v = JSON.parse(raw[i] ?? '') as { storyId: string; title: string };
        out.push({ storyId: v.storyId, title: v.title, atMs: Number(raw[i + 1]) });
      } catch {
        // A damaged entry only costs one comparison.
      }
    }
    return out;
  }

  /**
   * Claims the right to poll `sourceId` now; undefined when another poll of it is still running (a slow
   * feed and a short interval). The claim expires after `ttlMs` should its holder die.
   */
  claimPoll(sourceId: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    return tryLock(this.redis, this.sourceKey('polling', sourceId), ttlMs);
  }

  /** Runs `task` holding the intake lock (waits up to `waitMs`; the lock expires after `ttlMs`). */
  withLock<T>(task: () => Promise<T>, waitMs = 15_000, ttlMs = 60_000): Promise<T> {
    return withRedisLock(
      this.redis,
      this.key('lock'),
      { ttlMs, waitMs, retryMs: () => 25, busy: 'intake lock busy: another poll is drafting stories' },
      task,
    );
  }
}
