import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import type { HistoryEntry } from '../../app/desk.js';
import type {
  PartRecord,
  PublicationState,
  PublicationStatus,
  StoryRecord,
} from '../../domain/publication.js';
import { canonicalUrl } from '../../domain/story.js';
import type { CreateStoryResult, StoryStore } from '../../ports/story-store.js';

// KEYS: story, url-index (or ''), stories-zset. ARGV: id, json, score.
// One script so a story and its URL index appear together or not at all.
const CREATE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return ARGV[1] end
if KEYS[2] ~= '' then
  local other = redis.call('GET', KEYS[2])
  if other then return other end
  redis.call('SET', KEYS[2], ARGV[1])
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return false
`;

// Story records hold the story and its rendering, which repeat each other: deflate stores them in about
// a third of the bytes (Redis memory per scheduled story is a product limit).
const encodeRecord = (record: StoryRecord): Buffer => deflateRawSync(JSON.stringify(record));
const decodeRecord = (raw: Buffer): StoryRecord =>
  JSON.parse(inflateRawSync(raw).toString('utf8')) as StoryRecord;

// The destination is the hash field: it is not repeated inside each value (memory per story).
function encodePublication(status: PublicationStatus): string {
  const { destination: _destination, ...rest } = status;
  return JSON.stringify(rest);
}

function decodePublication(destination: string, raw: string): PublicationStatus {
  return { ...(JSON.parse(raw) as Omit<PublicationStatus, 'destination'>), destination };
}

/** Everything the publish job needs about one story on one destination, read in one round trip. */
export interface PublishSnapshot {
  readonly record: StoryRecord | undefined;
  readonly publication: PublicationStatus | undefined;
  readonly parts: PartRecord[];
}

/** {@link StoryStore} on Redis. All keys start with `<prefix>:` so deployments and tests can share one server. */
export class RedisStoryStore implements StoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async create(record: StoryRecord): Promise<CreateStoryResult> {
    const { story } = record;
    const urlKey = story.url
      ? this.key('url', createHash('sha1').update(canonicalUrl(story.url)).digest('hex'))
      : '';
    const existing = (await this.redis.eval(
      CREATE_SCRIPT,
      3,
      this.key('story', story.id),
      urlKey,
      this.key('stories'),
      story.id,
      encodeRecord(record),
      Date.parse(record.queuedAt),
    )) as string | null;
    return existing ? { created: false, existingId: existing } : { created: true };
  }

  async get(storyId: string): Promise<StoryRecord | undefined> {
    const raw = await this.redis.getBuffer(this.key('story', storyId));
    return raw === null ? undefined : decodeRecord(raw);
  }

  async replace(record: StoryRecord): Promise<void> {
    await this.redis.set(this.key('story', record.story.id), encodeRecord(record), 'XX');
  }

  /** The story, its publication on `destination` and that destination's part ledger, in one round trip. */
  async publishSnapshot(storyId: string, destination: string): Promise<PublishSnapshot> {
    const results = await this.redis
      .multi()
      .getBuffer(this.key('story', storyId))
      .hget(this.key('pub', storyId), destination)
      .hgetall(this.key('parts', storyId, destination))
      .exec();
    const [story, pub, parts] = (results ?? []).map(([err, value]) => {
      if (err) throw err;
      return value;
    });
    return {
      record: story ? decodeRecord(story as Buffer) : undefined,
      publication: typeof pub === 'string' ? decodePublication(destination, pub) : undefined,
      parts: Object.values((parts ?? {}) as Record<string, string>)
        .map((v) => JSON.parse(v) as PartRecord)
        .sort((a, b) => a.index - b.index),
    };
  }

  /**
   * Marks a publication published in one transaction: its status, the destination's last-publish time
   * and, unless `digestable` is false, the digest index (the first destination to publish sets the time).
   */
  async finishPublication(
    status: PublicationStatus,
    storyId: string,
    atMs: number,
    digestable: boolean,
  ): Promise<void> {
    const tx = this.redis
      .multi()
      .hset(this.key('pub', storyId), status.destination, encodePublication(status))
      .hset(this.key('last-published'), status.destination, status.updatedAt);
    if (digestable) tx.zadd(this.key('published'), 'NX', atMs, storyId);
    await tx.exec();
  }

  async appendHistory(storyId: string, entry: HistoryEntry): Promise<void> {
    await this.redis.rpush(this.key('history', storyId), JSON.stringify(entry));
  }

  async history(storyId: string): Promise<HistoryEntry[]> {
    return (await this.redis.lrange(this.key('history', storyId), 0, -1)).map(
      (v) => JSON.parse(v) as HistoryEntry,
    );
  }

  async indexPublished(storyId: string, atMs: number): Promise<void> {
    // NX: the first destination to publish sets the time.
    await this.redis.zadd(this.key('published'), 'NX', atMs, storyId);
  }

  async notePublished(destination: string, at: string): Promise<void> {
    await this.redis.hset(this.key('last-published'), destination, at);
  }

  async lastPublished(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.key('last-published'));
  }

  async publishedBetween(startMs: number, endMs: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.key('published'), startMs, `(${endMs}`);
  }

  async recent(limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.key('stories'), 0, limit - 1);
  }

  async setPublication(storyId: string, status: PublicationStatus): Promise<void> {
    await this.redis.hset(this.key('pub', storyId), status.destination, encodePublication(status));
  }

  async updatePublication(
    storyId: string,
    destination: string,
    state: PublicationState,
    at: string,
    reason?: string,
  ): Promise<void> {
    const raw = await this.redis.hget(this.key('pub', storyId), destination);
    const previous = raw === null ? undefined : decodePublication(destination, raw);
    const { reason: _previousReason, ...kept } = previous ?? {};
    const next: PublicationStatus = {
      ...kept,
      destination,
      state,
      updatedAt: at,
      ...(reason === undefined ? {} : { reason }),
    };
    await this.setPublication(storyId, next);
  }

  async publications(storyId: string): Promise<PublicationStatus[]> {
    const all = await this.redis.hgetall(this.key('pub', storyId));
    return Object.entries(all).map(([destination, v]) => decodePublication(destination, v));
  }

  async parts(storyId: string, destination: string): Promise<PartRecord[]> {
    const all = await this.redis.hgetall(this.key('parts', storyId, destination));
    return Object.values(all)
      .map((v) => JSON.parse(v) as PartRecord)
      .sort((a, b) => a.index - b.index);
  }

  async setPart(storyId: string, destination: string, record: PartRecord): Promise<void> {
    await this.redis.hset(
      this.key('parts', storyId, destination),
      String(record.index),
      JSON.stringify(record),
    );
  }
}
