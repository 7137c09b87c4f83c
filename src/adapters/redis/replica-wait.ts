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

export interface ReplicaWaitOptions {
  /** Replicas that must acknowledge a ledger write (`WAIT <replicas> …`). */
  readonly replicas: number;
  /** How long one wait may take, in ms. */
  readonly timeoutMs: number;
  /**
   * After a wait that timed out, ledger writes stop waiting for this long (ms), so a replica that is down
   * does not add `timeoutMs` to every write on the shared connection. Default 30 000.
   */
  readonly pauseAfterTimeoutMs?: number;
  readonly onResult?: (result: ReplicaWaitResult) => void;
}

/**
 * Failover safety for the ledger: after a write, `WAIT` until a replica has it too, so a primary that
 * fails over right after cannot take with it a `sending` mark or a remote id a worker then acts on.
 * The write and its WAIT go in one pipeline: on a cluster, to the primary that holds the keys (WAIT counts
 * the replicas of the connection it is sent on), in one round trip.
 *
 * A wait that times out does not stop the send: publishing goes on with the write on the primary only
 * (`onResult` reports it; the desk would otherwise stop whenever a replica is down), and waits pause for
 * `pauseAfterTimeoutMs`.
 */
export class ReplicaWait {
  private pausedUntil = 0;

  constructor(private readonly options: ReplicaWaitOptions) {}

  /** Runs `script`, then WAITs for the replicas; resolves to the script's reply (rejects with its error). */
  async after(
    redis: RedisClient,
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number | Buffer)[],
  ): Promise<unknown> {
    if (Date.now() < this.pausedUntil) return script(redis, keys, args);
    const { replicas, timeoutMs } = this.options;
    const startedAt = Date.now();
    const replies = await script
      .queue(redis, () => redis.pipeline(), keys, args)
      .wait(replicas, timeoutMs)
      .exec();
    const [scriptReply, waitReply] = replies ?? [];
    if (!scriptReply) throw new Error('the pipeline returned no reply');
    if (scriptReply[0]) throw scriptReply[0];
    const acknowledged = waitReply && !waitReply[0] ? Number(waitReply[1]) : 0;
    const replicated = acknowledged >= replicas;
    if (!replicated) this.pausedUntil = Date.now() + (this.options.pauseAfterTimeoutMs ?? 30_000);
    this.options.onResult?.({ acknowledged, replicated, ms: Date.now() - startedAt });
    return scriptReply[1];
  }
}
