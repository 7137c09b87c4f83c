import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { HistoryEntry } from '../../domain/history.js';
import { isOpenProposal } from '../../domain/proposal-expiry.js';
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
import { luaScript, releaseIfHeld } from './lua-script.js';
import { paceArgs, paceMember } from './pacing-lua.js';
import { beginScript, finishScript, replaceIfUnsentScript, transitionScript } from './publication-lua.js';
import { isCluster, type RedisClient } from './redis-connection.js';
import { redisKeys } from './redis-keys.js';
import type { ReplicaWait } from './replica-wait.js';

// One Redis server only (the keys are in three slots): KEYS: story, stories zset, then the URL index when
// the story has a URL. ARGV: id, record, score.
// One script so a story and its URL index appear together or not at all.
const createScript = luaScript(
  'story_create',
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return ARGV[1] end
if KEYS[3] then
  local other = redis.call('GET', KEYS[3])
  if other then return other end
  redis.call('SET', KEYS[3], ARGV[1])
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return false
`,
);

// Redis Cluster: the last-publish time of a destination moves only forward (a late second step of an
// older finish must not undo a newer one). KEYS: last-published hash. ARGV: destination, ISO time.
const lastPublishedScript = luaScript(
  'story_last_published',
  `local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current or current < ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1`,
);

// KEYS: story. ARGV: the record's bytes as read, the new record's bytes. Writes only over what was read.
const compareAndSetScript = luaScript(
  'story_compare_and_set',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`,
);

// How often {@link RedisStoryStore.update} reads again after losing a race before it gives up; between
// tries it waits a random few ms, growing, so writers that collided do not collide again in step.
const UPDATE_ATTEMPTS = 30;
const updateBackoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * attempt));

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

/** Options of {@link RedisStoryStore}. */
export interface RedisStoryStoreOptions {
  /**
   * Keep every script within one hash slot: a publication's first send is not reserved in its begin step
   * (the run reserves it through the pacer), and the index writes that go with a story's creation and a
   * publication's finish are separate steps. Default: when `redis` is a Redis Cluster client.
   */
  readonly slotSafe?: boolean;
  /** Waits for a replica after each ledger write (failover safety); none by default. */
  readonly replicaWait?: ReplicaWait;
}

/**
 * {@link StoryStore} on Redis. All keys start with `<prefix>:` so deployments and tests can share one
 * server; a story's keys share its hash tag (see `redis-keys.ts`), so a publication changes atomically on a
 * Redis Cluster too.
 */
export class RedisStoryStore implements StoryStore {
  private readonly slotSafe: boolean;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly options: RedisStoryStoreOptions = {},
  ) {
    this.slotSafe = options.slotSafe ?? isCluster(redis);
  }

  async create(record: StoryRecord): Promise<CreateStoryResult> {
    const { story } = record;
    const id = story.id;
    const storyKey = redisKeys.story(this.prefix, id);
    const urlKey = story.url
      ? redisKeys.urlIndex(this.prefix, createHash('sha1').update(canonicalUrl(story.url)).digest('hex'))
      : undefined;
    const score = Date.parse(record.queuedAt);
    if (!this.slotSafe) {
      const existing = (await createScript(
        this.redis,
        [storyKey, redisKeys.stories(this.prefix), ...(urlKey ? [urlKey] : [])],
        [id, encodeRecord(record), score],
      )) as string | null;
      return existing ? { created: false, existingId: existing } : { created: true };
    }
    // Three slots, three steps: the story (refused when the id exists), then its URL (refused when another
    // story has it: ours is taken back), then the list. A crash between them leaves a story no list
    // shows, never two stories with one URL.
    if ((await this.redis.set(storyKey, encodeRecord(record), 'NX')) !== 'OK') {
      return { created: false, existingId: id };
    }
    if (urlKey) {
      const other = await this.redis.set(urlKey, id, 'NX', 'GET');
      if (other !== null && other !== id) {
        await this.redis.del(storyKey);
        return { created: false, existingId: other };
      }
    }
    await this.redis.zadd(redisKeys.stories(this.prefix), score, id);
    return { created: true };
  }

  async get(storyId: string): Promise<StoryRecord | undefined> {
    const raw = await this.redis.getBuffer(redisKeys.story(this.prefix, storyId));
    return raw === null ? undefined : decodeRecord(raw);
  }

  async replace(record: StoryRecord): Promise<void> {
    await this.redis.set(redisKeys.story(this.prefix, record.story.id), encodeRecord(record), 'XX');
  }

  async update(
    storyId: string,
    change: (current: StoryRecord) => StoryRecord | undefined,
  ): Promise<StoryRecord | undefined> {
    const key = redisKeys.story(this.prefix, storyId);
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      if (attempt > 0) await updateBackoff(attempt);
      const raw = await this.redis.getBuffer(key);
      if (raw === null) return undefined;
      const next = change(decodeRecord(raw));
      if (next === undefined) return undefined;
      // The index is another slot: marked before the write (a crash after it leaves the story findable) and
      // after it (a sweep that took the story off in between sees the proposal and puts it back).
      const proposing = (next.amendments ?? []).some(isOpenProposal);
      if (proposing) await this.redis.sadd(redisKeys.proposals(this.prefix), storyId);
      if (Number(await compareAndSetScript(this.redis, [key], [raw, encodeRecord(next)])) === 1) {
        if (proposing) await this.redis.sadd(redisKeys.proposals(this.prefix), storyId);
        return next;
      }
    }
    throw new Error(`story ${storyId} kept changing: ${UPDATE_ATTEMPTS} writes in a row lost the race`);
  }

  async proposalStories(): Promise<string[]> {
    return this.redis.smembers(redisKeys.proposals(this.prefix));
  }

  async forgetProposalStory(storyId: string): Promise<void> {
    const key = redisKeys.proposals(this.prefix);
    await this.redis.srem(key, storyId);
    // A proposal written since the caller looked added the story before and after its write: seen here.
    const record = await this.get(storyId);
    if ((record?.amendments ?? []).some(isOpenProposal)) await this.redis.sadd(key, storyId);
  }

  async replaceIfUnsent(record: StoryRecord, only?: readonly string[]): Promise<ReplaceRefusal | undefined> {
    const id = record.story.id;
    const checked = only ? record.destinations.filter((d) => only.includes(d)) : record.destinations;
    const partKeys = checked.map((d) => redisKeys.parts(this.prefix, id, d));
    const why = String(
      await replaceIfUnsentScript(
        this.redis,
        [redisKeys.story(this.prefix, id), redisKeys.pub(this.prefix, id), ...partKeys],
        only ? [encodeRecord(record), checked.join(',')] : [encodeRecord(record)],
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
    firstSend?: FirstSend,
    dueToleranceMs = 0,
  ): Promise<PublishSnapshot | undefined> {
    if (firstSend && firstSend.part.index !== 0) throw new RangeError('the first send is part 0');
    // On a cluster the pacing keys are in another slot, and a mark that must wait for a replica is the
    // pacer's to take back: the run reserves the first send itself then.
    const first = this.slotSafe || this.options.replicaWait ? undefined : firstSend;
    const dueBy = new Date(Date.parse(at) + dueToleranceMs).toISOString();
    const keys = [
      redisKeys.story(this.prefix, storyId),
      redisKeys.pub(this.prefix, storyId),
      redisKeys.parts(this.prefix, storyId, destination),
      redisKeys.lease(this.prefix, storyId, destination),
      ...(first
        ? [redisKeys.paceSends(this.prefix, destination), redisKeys.paceLive(this.prefix, destination)]
        : []),
    ];
    const args = [
      destination,
      at,
      claim.token,
      claim.ttlMs,
      first ? JSON.stringify(first.part) : '',
      first ? paceMember() : '',
      dueBy,
      ...(first ? paceArgs(first.limits) : []),
    ];
    type BeginReply = [number, Buffer | null, Buffer | null, Buffer[], number, Buffer, Buffer];
    const replicaWait = this.options.replicaWait;
    let reply: BeginReply;
    if (!replicaWait) reply = (await beginScript(this.redis, keys, args)) as BeginReply;
    else {
      const begun = await replicaWait.after(this.redis, beginScript, keys, args);
      reply = begun.reply as BeginReply;
      // A lease a failover could still lose is no lease: let it go, and let the job come back (as when
      // another attempt holds it) rather than run on and lose it midway.
      if (!begun.replicated && Number(reply[0]) === 1 && String(reply[5]) === 'run') {
        await releaseIfHeld(this.redis, [keys[3] ?? ''], [claim.token]).catch(() => undefined);
        return undefined;
      }
    }
    const [claimed, story, pub, flatParts, firstWait, verdict, notBefore] = reply;
    if (Number(claimed) !== 1) return undefined;
    // HGETALL's reply is field, value, field, value…: the values are every second entry.
    const values = flatParts.filter((_, i) => i % 2 === 1).map((v) => v.toString('utf8'));
    const until = notBefore.toString('utf8');
    const record = story ? decodeRecord(story) : undefined;
    const publication = pub ? decodePublication(destination, pub.toString('utf8')) : undefined;
    const verdictText = verdict.toString('utf8') as BeginVerdict;
    // On a cluster a finish's index writes come after it: a worker that died in between left them out.
    if (this.slotSafe && verdictText === 'published' && record && publication) {
      await this.indexFinished(
        storyId,
        destination,
        publication.updatedAt,
        !record.story.tags.includes('digest'),
      );
    }
    return {
      verdict: verdictText,
      ...(until ? { notBefore: until } : {}),
      record,
      publication,
      parts: decodeParts(values),
      ...(Number(firstWait) >= 0 ? { firstSendWaitMs: Number(firstWait) } : {}),
    };
  }

  /**
   * Marks a publication published in one atomic step: its status, the destination's last-publish time,
   * unless `digestable` is false the digest index (the first destination to publish sets the time), and
   * with `close` the last part's ledger entry and the lease's release, only while the lease is held.
   * On a cluster the last-publish time and the digest index (other slots) are a second step after the
   * publication's; a worker that dies between them leaves them to the job's next run (see
   * {@link beginPublication}'s `published` verdict).
   */
  async finishPublication(
    status: PublicationStatus,
    storyId: string,
    atMs: number,
    digestable: boolean,
    close: FinishClose & { readonly leaseToken: string },
  ): Promise<'published' | 'stopped'> {
    const { destination } = status;
    const wait = this.options.replicaWait;
    // The finish is the one write that closes a publication whose parts are all out: lost with a primary
    // that fails over, it would leave the last part `sending` behind a job already completed (only the
    // sweep, minutes later, would move it on). So it is written again until a replica has it; a second
    // run that finds its own first write gone 'stopped' (the lease is deleted) answers 0, which must not
    // turn a finished publication into a lost lease.
    const finish = (keys: readonly string[], args: readonly (string | number)[]) =>
      wait
        ? wait.confirm(this.redis, finishScript, keys, args, (reply) => Number(reply) !== 0)
        : finishScript(this.redis, keys, args);
    const done = Number(
      await finish(
        [
          redisKeys.pub(this.prefix, storyId),
          redisKeys.parts(this.prefix, storyId, destination),
          redisKeys.lease(this.prefix, storyId, destination),
          ...(this.slotSafe ? [] : [redisKeys.lastPublished(this.prefix), redisKeys.published(this.prefix)]),
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
    if (done === 1 && this.slotSafe)
      await this.indexFinished(storyId, destination, status.updatedAt, digestable);
    return done === 2 ? 'stopped' : 'published';
  }

  /** The index writes of a finished publication, when they cannot share its script (a cluster). Idempotent. */
  private async indexFinished(
    storyId: string,
    destination: string,
    updatedAt: string,
    digestable: boolean,
  ): Promise<void> {
    const atMs = Date.parse(updatedAt);
    await Promise.all([
      lastPublishedScript(this.redis, [redisKeys.lastPublished(this.prefix)], [destination, updatedAt]),
      digestable && Number.isFinite(atMs) ? this.indexPublished(storyId, atMs) : undefined,
    ]);
  }

  async appendHistory(storyId: string, entry: HistoryEntry): Promise<void> {
    await this.redis.rpush(redisKeys.history(this.prefix, storyId), JSON.stringify(entry));
  }

  async history(storyId: string): Promise<HistoryEntry[]> {
    return (await this.redis.lrange(redisKeys.history(this.prefix, storyId), 0, -1)).map(
      (v) => JSON.parse(v) as HistoryEntry,
    );
  }

  async indexPublished(storyId: string, atMs: number): Promise<void> {
    // NX: the first destination to publish sets the time.
    await this.redis.zadd(redisKeys.published(this.prefix), 'NX', atMs, storyId);
  }

  async lastPublished(): Promise<Record<string, string>> {
    return this.redis.hgetall(redisKeys.lastPublished(this.prefix));
  }

  async publishedBetween(startMs: number, endMs: number): Promise<string[]> {
    return this.redis.zrangebyscore(redisKeys.published(this.prefix), startMs, `(${endMs}`);
  }

  async recent(limit: number): Promise<string[]> {
    return this.redis.zrevrange(redisKeys.stories(this.prefix), 0, limit - 1);
  }

  async setPublication(storyId: string, status: PublicationStatus): Promise<void> {
    await this.redis.hset(redisKeys.pub(this.prefix, storyId), status.destination, encodePublication(status));
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
      [
        redisKeys.pub(this.prefix, storyId),
        ...(part ? [redisKeys.parts(this.prefix, storyId, destination)] : []),
      ],
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
    const all = await this.redis.hgetall(redisKeys.pub(this.prefix, storyId));
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
