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
import { LeaseLostError } from '../../ports/publication-lease.js';
import type {
  CreateStoryResult,
  FinishClose,
  FirstSend,
  LeaseClaim,
  PublishSnapshot,
  StoryStore,
} from '../../ports/story-store.js';
import { luaScript } from './lua-script.js';
import { PACE_RESERVE_LUA, paceArgs, paceMember } from './pacing-lua.js';
import { redisKeys } from './redis-keys.js';

// KEYS: story, url-index (or ''), stories-zset. ARGV: id, json, score.
// One script so a story and its URL index appear together or not at all.
const createScript = luaScript(
  'story_create',
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return ARGV[1] end
if KEYS[2] ~= '' then
  local other = redis.call('GET', KEYS[2])
  if other then return other end
  redis.call('SET', KEYS[2], ARGV[1])
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return false
`,
);

// KEYS: pub hash, last-published hash, published zset, parts ledger, lease ('' for none).
// ARGV: destination, publication, updatedAt, atMs, digestable ('1'/'0'), story id, last part field ('' for
// none), last part, lease token. Returns 0 (and writes nothing) when the lease is no longer held.
const finishScript = luaScript(
  'story_finish_publication',
  `
if KEYS[5] ~= '' and redis.call('GET', KEYS[5]) ~= ARGV[9] then return 0 end
if ARGV[7] ~= '' then redis.call('HSET', KEYS[4], ARGV[7], ARGV[8]) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
if ARGV[5] == '1' then redis.call('ZADD', KEYS[3], 'NX', ARGV[4], ARGV[6]) end
if KEYS[5] ~= '' then redis.call('DEL', KEYS[5]) end
return 1
`,
);

// KEYS: story, pub hash, parts ledger, lease ('' for none), then for a first send ('' for none) the
// destination's sends log and live budgets. ARGV: destination, updatedAt, lease token, lease ms, first
// part ('' for none), pace member, then pace_reserve's arguments.
// Takes the lease (reply {0} when another worker holds it), reads the story, its publication (as it
// was) and the ledger, and marks the publication 'publishing' unless it was cancelled. With a first part
// and an empty ledger it then reserves that send and records it; the reply's 5th entry is the wait
// (0: reserved), or -1 when not tried.
// The publication is JSON with string fields only, so cjson round-trips it faithfully.
const beginScript = luaScript(
  'story_begin_publication',
  `${PACE_RESERVE_LUA}
if KEYS[4] ~= '' and not redis.call('SET', KEYS[4], ARGV[3], 'PX', ARGV[4], 'NX') then return {0} end
local story = redis.call('GET', KEYS[1])
local pub = redis.call('HGET', KEYS[2], ARGV[1])
local parts = redis.call('HGETALL', KEYS[3])
local firstWait = -1
if story then
  local status = {}
  if pub then
    local ok, decoded = pcall(cjson.decode, pub)
    if ok and type(decoded) == 'table' then status = decoded end
  end
  if status.state ~= 'cancelled' then
    status.state = 'publishing'
    status.updatedAt = ARGV[2]
    status.reason = nil
    redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(status))
    if KEYS[5] ~= '' and #parts == 0 then
      firstWait = pace_reserve(KEYS[5], KEYS[6], ARGV[6], ARGV, 7)
      if firstWait == 0 then redis.call('HSET', KEYS[3], '0', ARGV[5]) end
    end
  end
end
return {1, story or false, pub or false, parts, firstWait}
`,
  { buffers: true },
);

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

/** A part ledger's values, in part order. */
function decodeParts(values: readonly string[]): PartRecord[] {
  return values.map((v) => JSON.parse(v) as PartRecord).sort((a, b) => a.index - b.index);
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
    const existing = (await createScript(
      this.redis,
      [this.key('story', story.id), urlKey, this.key('stories')],
      [story.id, encodeRecord(record), Date.parse(record.queuedAt)],
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

  async beginPublication(
    storyId: string,
    destination: string,
    at: string,
    claim?: LeaseClaim,
    first?: FirstSend,
  ): Promise<PublishSnapshot | undefined> {
    if (first && first.part.index !== 0) throw new RangeError('the first send is part 0');
    const reply = (await beginScript(
      this.redis,
      [
        this.key('story', storyId),
        this.key('pub', storyId),
        redisKeys.parts(this.prefix, storyId, destination),
        claim ? redisKeys.lease(this.prefix, storyId, destination) : '',
        first ? redisKeys.paceSends(this.prefix, destination) : '',
        first ? redisKeys.paceLive(this.prefix, destination) : '',
      ],
      [
        destination,
        at,
        claim?.token ?? '',
        claim?.ttlMs ?? 0,
        first ? JSON.stringify(first.part) : '',
        first ? paceMember() : '',
        ...(first ? paceArgs(first.limits) : []),
      ],
    )) as [number, Buffer | null, Buffer | null, Buffer[], number];
    const [claimed, story, pub, flatParts, firstWait] = reply;
    if (Number(claimed) !== 1) return undefined;
    // HGETALL's reply is field, value, field, value…: the values are every second entry.
    const values = flatParts.filter((_, i) => i % 2 === 1).map((v) => v.toString('utf8'));
    return {
      record: story ? decodeRecord(story) : undefined,
      publication: pub ? decodePublication(destination, pub.toString('utf8')) : undefined,
      parts: decodeParts(values),
      ...(Number(firstWait) >= 0 ? { firstSendWaitMs: Number(firstWait) } : {}),
    };
  }

  /**
   * Marks a publication published in one atomic step: its status, the destination's last-publish time,
   * unless `digestable` is false the digest index (the first destination to publish sets the time), and
   * with `close` the last part's ledger entry and the lease's release, only while the lease is held.
   */
  async finishPublication(
    status: PublicationStatus,
    storyId: string,
    atMs: number,
    digestable: boolean,
    close: FinishClose = {},
  ): Promise<void> {
    const { destination } = status;
    const done = await finishScript(
      this.redis,
      [
        this.key('pub', storyId),
        this.key('last-published'),
        this.key('published'),
        redisKeys.parts(this.prefix, storyId, destination),
        close.leaseToken === undefined ? '' : redisKeys.lease(this.prefix, storyId, destination),
      ],
      [
        destination,
        encodePublication(status),
        status.updatedAt,
        atMs,
        digestable ? '1' : '0',
        storyId,
        close.lastPart ? String(close.lastPart.index) : '',
        close.lastPart ? JSON.stringify(close.lastPart) : '',
        close.leaseToken ?? '',
      ],
    );
    if (Number(done) !== 1) throw new LeaseLostError(storyId, destination);
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
    const all = await this.redis.hgetall(redisKeys.parts(this.prefix, storyId, destination));
    return decodeParts(Object.values(all));
  }

  async setPart(storyId: string, destination: string, record: PartRecord): Promise<void> {
    await this.redis.hset(
      redisKeys.parts(this.prefix, storyId, destination),
      String(record.index),
      JSON.stringify(record),
    );
  }
}
