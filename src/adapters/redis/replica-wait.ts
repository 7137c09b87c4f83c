import type { LuaScript } from './lua-script.js';
import type { RedisClient } from './redis-connection.js';

/** What one wait for replicas found, for metrics and logs. */
export interface ReplicaWaitResult {
  /** Replicas that acknowledged the write before the timeout. */
  readonly acknowledged: number;
  /** False when fewer than asked for acknowledged it in time. */
  readonly replicated: boolean;
  readonly ms: number;
}

/** Options of {@link ReplicaWait}: how many replicas must confirm a write, and for how long to wait. */
export interface ReplicaWaitOptions {
  /** Replicas that must acknowledge a ledger write (`WAIT <replicas> …`). */
  readonly replicas: number;
  /** How long one wait may take, in ms. */
  readonly timeoutMs: number;
  /**
   * A confirmation (its send happened) that no replica had in time is written again every 100 ms for up
   * to this long (ms): after a failover the client reaches the new primary, whose replica then takes it.
   * Past this it stands on the primary alone. Default 5 000.
   */
  readonly confirmRetryMs?: number;
  /** Whether to wait at all now (e.g. only while the cluster has replicas); default always. */
  readonly active?: () => boolean;
  readonly onResult?: (result: ReplicaWaitResult) => void;
}

/**
 * A `sending` mark did not reach a replica in time: the send it guards must not start (a failover now
 * could lose the mark, and the part would be sent again). The mark was taken back; the attempt is retried.
 */
export class ReplicaWaitError extends Error {
  override readonly name = 'ReplicaWaitError';
  constructor(storyId: string, destination: string, index: number, timeoutMs: number) {
    super(
      `the sending mark of part ${index + 1} of ${storyId} on ${destination} was not on a Redis replica within ${timeoutMs} ms; nothing was sent, the attempt will be retried`,
    );
  }
}

/**
 * Failover safety for the ledger: after a write, `WAIT` until a replica has it too, so a primary that
 * fails over right after cannot take with it a `sending` mark or a remote id a worker then acts on.
 * The write and its WAIT go in one pipeline: on a cluster, to the primary that holds the keys (WAIT counts
 * the replicas of the connection it is sent on), in one round trip.
 *
 * What a write that was not replicated in time means is the caller's decision: a `sending` mark is taken
 * back and its send does not start ({@link ReplicaWaitError}); a confirmation (the send happened already,
 * only its record can be saved) is written again until a replica has it, for a while ({@link confirm}).
 */
export class ReplicaWait {
  constructor(private readonly options: ReplicaWaitOptions) {}

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** Runs `script`, then WAITs for the replicas; resolves to the script's reply (rejects with its error). */
  async after(
    redis: RedisClient,
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number | Buffer)[],
  ): Promise<{ readonly reply: unknown; readonly replicated: boolean }> {
    const { replicas, timeoutMs, active } = this.options;
    // Nothing to wait for: the write is as safe as it can be.
    if (active && !active()) return { reply: await script(redis, keys, args), replicated: true };
    const startedAt = Date.now();
    const replies = await script
      .queue(redis, () => redis.pipeline(), keys, args)
      .wait(replicas, timeoutMs)
      .exec();
    const [scriptReply, waitReply] = replies ?? [];
    if (!scriptReply) throw new Error('the pipeline returned no reply');
    if (scriptReply[0]) throw scriptReply[0];
    // An error (WAIT on a primary demoted meanwhile) counts as no replica.
    const acknowledged = waitReply && !waitReply[0] ? Number(waitReply[1]) : 0;
    const replicated = acknowledged >= replicas;
    this.options.onResult?.({ acknowledged, replicated, ms: Date.now() - startedAt });
    return { reply: scriptReply[1], replicated };
  }

  /**
   * Runs `script` until a replica has its write, for up to `confirmRetryMs`; resolves to its last reply.
   * For writes whose send already happened. The script must be idempotent, or say which replies count:
   * with `counts`, a later reply it rejects (a second run on the same primary that finds its own first
   * write, and cannot tell it apart) leaves the earlier reply standing.
   */
  async confirm(
    redis: RedisClient,
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number | Buffer)[],
    counts: (reply: unknown) => boolean = () => true,
  ): Promise<unknown> {
    const deadline = Date.now() + (this.options.confirmRetryMs ?? 5_000);
    let kept: { reply: unknown } | undefined;
    for (;;) {
      const { reply, replicated } = await this.after(redis, script, keys, args);
      if (!kept || counts(reply)) kept = { reply };
      if (replicated || Date.now() >= deadline) return kept.reply;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
