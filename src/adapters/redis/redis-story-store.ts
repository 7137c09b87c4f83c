import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import type { HistoryEntry } from '../../domain/history.js';
import type {
  PartRecord,
  PublicationState,
  PublicationStatus,
  StoryRecord,
} from '../../domain/publication.js';
import { canonicalUrl } from '../../domain/story.js';
import { LeaseLostError } from '../../ports/publication-lease.js';
import type {
  BeginVerdict,
  CreateStoryResult,
  FinishClose,
  FirstSend,
  LeaseClaim,
  PublicationChange,
  PublishSnapshot,
  ReplaceRefusal,
  StoryStore,
  TransitionResult,
} from '../../ports/story-store.js';
import { luaScript } from './lua-script.js';
import { paceArgs, paceMember } from './pacing-lua.js';
import { beginScript, finishScript, replaceIfUnsentScript, transitionScript } from './publication-lua.js';
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

  async replaceIfUnsent(record: StoryRecord): Promise<ReplaceRefusal | undefined> {
    const id = record.story.id;
    const partKeys = record.destinations.map((d) => redisKeys.parts(this.prefix, id, d));
    const why = String(
      await replaceIfUnsentScript(
        this.redis,
        [this.key('story', id), this.key('pub', id), ...partKeys],
        [encodeRecord(record)],
      ),
    );
    if (why === '') return undefined;
    if (why === 'gone') return { kind: 'gone' };
    if (why.startsWith('state:')) {
      const [, destination = '', state = ''] = why.split(':');
      return { kind: 'state', destination, state: state as PublicationState };
    }
    // "part:<ledger key>:<index>:<state>": the ledger key ends with the destination.
    const [, ...rest] = why.split(':');
    const state = rest.pop() ?? '';
    const index = Number(rest.pop());
    const destination = record.destinations.find((d) => rest.join(':').endsWith(`:${d}`)) ?? '?';
    return { kind: 'part', destination, index, state: state as PartRecord['state'] };
  }

  async beginPublication(
    storyId: string,
    destination: string,
    at: string,
    claim: LeaseClaim,
    first?: FirstSend,
    dueToleranceMs = 0,
  ): Promise<PublishSnapshot | undefined> {
    if (first && first.part.index !== 0) throw new RangeError('the first send is part 0');
    const dueBy = new Date(Date.parse(at) + dueToleranceMs).toISOString();
    const reply = (await beginScript(
      this.redis,
      [
        this.key('story', storyId),
        this.key('pub', storyId),
        redisKeys.parts(this.prefix, storyId, destination),
        redisKeys.lease(this.prefix, storyId, destination),
        first ? redisKeys.paceSends(this.prefix, destination) : '',
        first ? redisKeys.paceLive(this.prefix, destination) : '',
      ],
      [
        destination,
        at,
        claim.token,
        claim.ttlMs,
        first ? JSON.stringify(first.part) : '',
        first ? paceMember() : '',
        dueBy,
        ...(first ? paceArgs(first.limits) : []),
      ],
    )) as [number, Buffer | null, Buffer | null, Buffer[], number, Buffer, Buffer];
    const [claimed, story, pub, flatParts, firstWait, verdict, notBefore] = reply;
    if (Number(claimed) !== 1) return undefined;
    // HGETALL's reply is field, value, field, value…: the values are every second entry.
    const values = flatParts.filter((_, i) => i % 2 === 1).map((v) => v.toString('utf8'));
    const until = notBefore.toString('utf8');
    return {
      verdict: verdict.toString('utf8') as BeginVerdict,
      ...(until ? { notBefore: until } : {}),
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
    close: FinishClose & { readonly leaseToken: string },
  ): Promise<'published' | 'stopped'> {
    const { destination } = status;
    const done = Number(
      await finishScript(
        this.redis,
        [
          this.key('pub', storyId),
          this.key('last-published'),
          this.key('published'),
          redisKeys.parts(this.prefix, storyId, destination),
          redisKeys.lease(this.prefix, storyId, destination),
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
          close.leaseToken,
        ],
      ),
    );
    if (done === 0) throw new LeaseLostError(storyId, destination);
    return done === 2 ? 'stopped' : 'published';
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

  async transition(
    storyId: string,
    destination: string,
    change: PublicationChange,
  ): Promise<TransitionResult> {
    const fields = Object.entries(change.set ?? {}).flatMap(([k, v]) => [k, v ?? '']);
    const { part } = change;
    const [applied, state] = (await transitionScript(
      this.redis,
      [this.key('pub', storyId), part ? redisKeys.parts(this.prefix, storyId, destination) : ''],
      [
        destination,
        change.from.join(','),
        change.to,
        change.at,
        change.reason ?? '',
        part ? String(part.index) : '',
        part ? JSON.stringify(part) : '',
        ...fields,
      ],
    )) as [number, string];
    const found = state as PublicationState | 'none';
    return Number(applied) === 1 ? { ok: true, previous: found } : { ok: false, current: found };
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
