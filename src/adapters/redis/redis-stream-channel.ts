import type { Logger } from '../../util/logger.js';
import { luaScript } from './lua-script.js';
import { duplicateClient, type RedisClient } from './redis-connection.js';

/** What a {@link RedisStreamChannel} is called, who must hear it, and how long messages are kept. */
export interface RedisStreamChannelOptions<T = unknown> {
  /** Starts the log messages: `<name> reader error`, `<name> listener failed`, … */
  readonly name: string;
  /** The consumer group: the role that must hear every message (e.g. the editor bot). */
  readonly group: string;
  /** The stream keeps about this many messages. Default 1 000. */
  readonly maxLength?: number;
  /**
   * Older messages are skipped (acknowledged, not delivered) on reading: no stale flood after a long outage.
   * Default 12 h; `Infinity` for messages that must never be dropped.
   */
  readonly maxAgeMs?: number;
  /**
   * A message's own limit in place of {@link maxAgeMs} (e.g. the editors' daily digest, still worth reading
   * a day late); `undefined` keeps `maxAgeMs`. A message dropped by either is logged with its start.
   */
  readonly maxAgeMsOf?: (message: T) => number | undefined;
  /** The reader's clock (epoch ms) a message's age is measured with, against its stream id. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * When set, a message a listener failed on (threw or rejected) is left unacknowledged and handed out
   * again this long after, then after twice as long each time, up to 10 min. Unset: the failure is logged
   * and the message acknowledged (a listener bug does not bring it back forever).
   */
  readonly retryFailedAfterMs?: number;
  /** Each blocking read waits this long at most. Default 5 000 ms. */
  readonly blockMs?: number;
}

/**
 * A listener; the message is acknowledged once its promise settles (see
 * {@link RedisStreamChannelOptions.retryFailedAfterMs} for one that rejects).
 */
export type StreamListener<T> = (message: T) => void | Promise<void>;

// One process reads for its group; a second one under the same name would share the pending entries.
const CONSUMER = 'main';
const FIELD = 'm';
const MAX_RETRY_DELAY_MS = 10 * 60_000;

type Entry = [id: string, fields: string[] | null];
type ReadReply = [key: string, entries: Entry[]][] | null;

/**
 * JSON messages of type `T` on one Redis stream, from any process to one consumer group, at least once:
 * a message published while its reader is down (a restart, a crash) waits in the stream, and one being
 * handled when the reader died is delivered again when it comes back. Each message is acknowledged after
 * every listener has settled; a listener that throws is logged and does not hold the others back (and,
 * with {@link RedisStreamChannelOptions.retryFailedAfterMs}, the message comes again later).
 * Reading opens one dedicated connection (its reads block).
 */
export class RedisStreamChannel<T> {
  private reader: RedisClient | undefined;
  private running: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  private closed = false;
  private readonly listeners = new Set<StreamListener<T>>();

  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly logger: Logger,
    private readonly options: RedisStreamChannelOptions<T>,
  ) {}

  async publish(message: T): Promise<void> {
    await this.redis.xadd(
      this.key,
      'MAXLEN',
      '~',
      this.options.maxLength ?? 1_000,
      '*',
      FIELD,
      JSON.stringify(message),
    );
  }

  /**
   * Publishes `message` unless one under the same `onceKey` was published in the last `withinMs`; false
   * (nothing published) then. The check and the publishing are one script on one hash slot, so two
   * publishers at once, or a job run again after its process died, add it once, and a crash cannot leave
   * the mark without the message.
   */
  async publishOnce(message: T, onceKey: string, withinMs: number): Promise<boolean> {
    const added = await publishOnceScript(
      this.redis,
      [this.key, sameSlotKey(this.key, `once:${onceKey}`)],
      [Math.max(1, Math.round(withinMs)), this.options.maxLength ?? 1_000, FIELD, JSON.stringify(message)],
    );
    return added === 1;
  }

  /**
   * Starts reading on first use. Returns unsubscribe; when the last listener leaves, reading stops, so
   * nothing is acknowledged that nobody heard.
   */
  subscribe(listener: StreamListener<T>): () => void {
    this.listeners.add(listener);
    if (!this.reader && !this.closed) {
      const reader = duplicateClient(this.redis);
      reader.on('error', (err) =>
        this.logger.warn({ err: err.message }, `${this.options.name} reader error`),
      );
      this.reader = reader;
      let markStarted: () => void = () => undefined;
      this.started = new Promise<void>((resolve) => {
        markStarted = resolve;
      });
      this.running = this.read(reader, markStarted);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.stopReading();
    };
  }

  /**
   * Messages not yet handled by the group: waiting to be read, or read and not acknowledged. Before the
   * group's first reader ever ran, every message in the stream.
   */
  async backlog(): Promise<number> {
    let groups: unknown[][];
    try {
      groups = (await this.redis.xinfo('GROUPS', this.key)) as unknown[][];
    } catch {
      return 0; // no stream: nothing was ever published
    }
    const group = groups
      .map((fields) => new Map(fields.flatMap((v, i, all) => (i % 2 === 0 ? [[v, all[i + 1]]] : []))))
      .find((fields) => fields.get('name') === this.options.group);
    if (!group) return this.redis.xlen(this.key);
    // `lag` is null when Redis cannot tell (entries deleted mid-stream): count the unread ones then.
    const lag = group.get('lag');
    const unread =
      typeof lag === 'number'
        ? lag
        : (
            (await this.redis.xrange(
              this.key,
              `(${String(group.get('last-delivered-id'))}`,
              '+',
            )) as unknown[]
          ).length;
    return unread + Number(group.get('pending') ?? 0);
  }

  /** Resolves once the reader has caught up with what was waiting (tests: subscribe, await this, then act). */
  async whenSubscribed(): Promise<void> {
    await this.started;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.stopReading();
  }

  private async stopReading(): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    // A blocking read does not end on QUIT: drop the connection; the loop sees it is no longer current.
    reader?.disconnect();
    // A message still being handled stays unacknowledged and comes again at the next start.
    const running = this.running;
    this.running = undefined;
    if (running) {
      await Promise.race([running, new Promise((r) => setTimeout(r, 2_000).unref())]);
    }
  }

  private async read(reader: RedisClient, markStarted: () => void): Promise<void> {
    const { group, name } = this.options;
    const blockMs = this.options.blockMs ?? 5_000;
    // First what this consumer was given and never acknowledged (it died while handling it), then new.
    let cursor = '0';
    const current = () => !this.closed && this.reader === reader;
    // Messages a listener failed on stay pending; a pass over the pending ones is due at `retryAtMs`.
    let retryAtMs: number | undefined;
    let failedPasses = 0;
    let failedThisPass = false;
    await this.createGroup(reader);
    while (current()) {
      if (cursor === '>' && retryAtMs !== undefined && Date.now() >= retryAtMs) {
        cursor = '0';
        retryAtMs = undefined;
        failedThisPass = false;
      }
      const waitMs =
        retryAtMs === undefined ? blockMs : Math.max(1, Math.min(blockMs, retryAtMs - Date.now()));
      let reply: ReadReply;
      try {
        reply = (await reader.xreadgroup(
          'GROUP',
          group,
          CONSUMER,
          'COUNT',
          50,
          'BLOCK',
          waitMs,
          'STREAMS',
          this.key,
          cursor,
        )) as ReadReply;
      } catch (err) {
        if (!current()) break;
        const message = (err as Error).message;
        // The stream (and its group) went away: a Redis without persistence restarted, or a cleanup.
        if (message.includes('NOGROUP')) await this.createGroup(reader);
        else {
          this.logger.warn({ err: message }, `${name} reader error`);
          await new Promise((r) => setTimeout(r, 500));
        }
        continue;
      }
      const entries = reply?.[0]?.[1] ?? [];
      if (cursor !== '>' && entries.length === 0) {
        cursor = '>';
        markStarted();
        if (!failedThisPass) failedPasses = 0;
        continue;
      }
      for (const [id, fields] of entries) {
        if (!current() || this.listeners.size === 0) break;
        if (!(await this.deliver(id, fields)) && this.options.retryFailedAfterMs !== undefined) {
          // Left pending: the next pass over the pending entries hands it out again.
          failedThisPass = true;
          if (retryAtMs === undefined) {
            failedPasses++;
            const delayMs = this.options.retryFailedAfterMs * 2 ** (failedPasses - 1);
            retryAtMs = Date.now() + Math.min(MAX_RETRY_DELAY_MS, delayMs);
          }
          continue;
        }
        await reader.xack(this.key, group, id).catch(() => undefined);
      }
      // While catching up on the pending entries, move past the ones just handled.
      const last = entries.at(-1);
      if (cursor !== '>' && last) cursor = last[0];
    }
    markStarted();
  }

  private async createGroup(reader: RedisClient): Promise<void> {
    try {
      // From the stream's start, so messages published before this reader ever ran are not lost.
      await reader.xgroup('CREATE', this.key, this.options.group, '0', 'MKSTREAM');
    } catch (err) {
      const message = (err as Error).message;
      if (!message.includes('BUSYGROUP') && this.reader === reader) {
        this.logger.warn({ err: message }, `${this.options.name} could not create its reader group`);
      }
    }
  }

  /** Hands a message to every listener; false when one of them failed on it. */
  private async deliver(id: string, fields: string[] | null): Promise<boolean> {
    const at = fields?.indexOf(FIELD) ?? -1;
    const raw = at >= 0 ? fields?.[at + 1] : undefined;
    // Trimmed away since it was first read, or not ours: nothing to deliver.
    if (raw === undefined) return true;
    let message: T;
    try {
      message = JSON.parse(raw) as T;
    } catch {
      return true;
    }
    const ageMs = (this.options.now ?? Date.now)() - Number(id.split('-')[0]);
    const maxAgeMs = this.options.maxAgeMsOf?.(message) ?? this.options.maxAgeMs ?? 12 * 3_600_000;
    if (ageMs > maxAgeMs) {
      this.logger.warn(
        { id, ageMs, maxAgeMs, start: raw.slice(0, 80) },
        `${this.options.name} message too old to deliver; skipped`,
      );
      return true;
    }
    const settled = await Promise.all(
      [...this.listeners].map(async (listener) => {
        try {
          await listener(message);
          return true;
        } catch (err) {
          const retrying = this.options.retryFailedAfterMs !== undefined;
          this.logger.warn(
            { id, err: (err as Error).message },
            `${this.options.name} listener failed${retrying ? '; the message will be handed out again' : ''}`,
          );
          return false;
        }
      }),
    );
    return settled.every(Boolean);
  }
}

// KEYS[1]: the stream, KEYS[2]: the once mark (same slot); ARGV: mark's life (ms), stream length, field, message.
const publishOnceScript = luaScript(
  'stream_publish_once',
  `if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', ARGV[3], ARGV[4])
  return 1
end
return 0`,
);

/**
 * A key beside `key` on its Redis Cluster hash slot: `key`'s own hash tag when it has one, else `key` as the
 * tag (a key without a tag hashes whole, so `{key}` lands where `key` does).
 */
function sameSlotKey(key: string, suffix: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? `${key}:${suffix}` : `{${key}}:${suffix}`;
}
