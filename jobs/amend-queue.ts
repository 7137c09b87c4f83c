import { Queue } from 'bullmq';
import type { RedisClient } from '../src/adapters/redis/redis-connection.js';
import { bullPrefix, redisKeys } from '../src/adapters/redis/redis-keys.js';
import type { AmendmentScheduler } from '../src/ports/amendment-scheduler.js';
import { AMEND_QUEUE } from './amend.job.js';
import { clearJobSlot } from './job-slot.js';
import { PUBLISH_JOB, type PublishPayload } from './publish.job.js';
import { publishJobId } from './publish-queues.js';

// How long a decision waits for the operation's job to finish stopping.
const ACTIVE_WAIT_MS = 5_000;

/** The producer of the amend queue: one job per amendment operation, with a deterministic id. */
export class AmendQueue implements AmendmentScheduler {
  readonly queue: Queue<PublishPayload>;
  readonly #pendingKey: string;

  /** `redis` carries the queue and the index of operations started (see {@link remember}). */
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.queue = new Queue<PublishPayload>(AMEND_QUEUE, {
      connection: redis,
      prefix: bullPrefix(prefix, AMEND_QUEUE),
    });
    this.#pendingKey = redisKeys.amendPending(prefix);
  }

  async remember(storyId: string, destination: string): Promise<void> {
    // NX: an editor's Retry keeps the first start's time.
    await this.redis.zadd(this.#pendingKey, 'NX', Date.now(), pendingMember(storyId, destination));
  }

  /** Operations remembered and not yet forgotten, oldest first, with when each was first started (epoch ms). */
  async pending(): Promise<{ storyId: string; destination: string; sinceMs: number }[]> {
    const flat = await this.redis.zrange(this.#pendingKey, '0', '-1', 'WITHSCORES');
    const out: { storyId: string; destination: string; sinceMs: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const [storyId, destination] = (flat[i] ?? '').split(' ');
      if (storyId && destination) out.push({ storyId, destination, sinceMs: Number(flat[i + 1]) });
    }
    return out;
  }

  /** Drops an operation the sweep found settled (or never started). */
  async forget(storyId: string, destination: string): Promise<void> {
    await this.redis.zrem(this.#pendingKey, pendingMember(storyId, destination));
  }

  /** The state of the operation's job, `missing` when there is none. */
  async jobState(storyId: string, destination: string): Promise<string> {
    const job = await this.queue.getJob(publishJobId(storyId, destination));
    return job ? await job.getState() : 'missing';
  }

  /**
   * Starts the operation's job. Asked again while it waits or runs, it is still one job; once the job has
   * ended (an editor's Retry after a failure), a new one replaces it: the ledger says what is left to do.
   */
  async schedule(storyId: string, destination: string): Promise<void> {
    const jobId = publishJobId(storyId, destination);
    const add = await clearJobSlot(this.queue, jobId, {
      // A job that just stopped for an editor may still be finishing: it is waited for.
      activeWaitMs: ACTIVE_WAIT_MS,
      busy: `${destination} of ${storyId} is still running; try again shortly`,
      // One waiting (or delayed) stands: it is still one job.
      keep: async (_job, state) => state !== 'completed' && state !== 'failed',
    });
    if (!add) return;
    await this.queue.add(PUBLISH_JOB, { storyId, destination }, { jobId });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

// Story ids and destination names hold no space (ids are [0-9a-z]{8}; names like telegram~c1).
const pendingMember = (storyId: string, destination: string) => `${storyId} ${destination}`;
