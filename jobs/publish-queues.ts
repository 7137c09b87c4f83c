import { type ConnectionOptions, Queue } from 'bullmq';
import { bullPrefix } from '../src/adapters/redis/redis-keys.js';
import type { DestinationConfig } from '../src/config/config.js';
import type { PublicationScheduler } from '../src/ports/publication-scheduler.js';
import { clearJobSlot } from './job-slot.js';
import { PUBLISH_JOB, type PublishPayload } from './publish.job.js';

/** One BullMQ queue per destination, so a rate limit on one never slows another. */
export function publishQueueName(destinationId: string): string {
  return `publish-${destinationId}`;
}

/** Deterministic job id: one publication per story and destination, whatever happens. */
export function publishJobId(storyId: string, destinationId: string): string {
  return `${storyId}-${destinationId}`;
}

/** The producers of every destination's publish queue. */
export class PublishQueues implements PublicationScheduler {
  private readonly queues = new Map<string, Queue<PublishPayload>>();

  constructor(
    connection: ConnectionOptions,
    prefix: string,
    destinations: readonly DestinationConfig[],
    private readonly now: () => number = Date.now,
    onError?: (err: Error) => void,
    private readonly activeWaitMs = 10_000,
  ) {
    for (const d of destinations) {
      const name = publishQueueName(d.id);
      // Each queue its own hash tag: destinations spread over a cluster's primaries.
      const queue = new Queue<PublishPayload>(name, { connection, prefix: bullPrefix(prefix, name) });
      // Without a listener, connection errors during a Redis outage become unhandled 'error' events.
      queue.on('error', (err) => onError?.(err));
      this.queues.set(d.id, queue);
    }
  }

  /** The queue of one destination; throws for an unknown one. */
  queue(destinationId: string): Queue<PublishPayload> {
    const q = this.queues.get(destinationId);
    if (!q) throw new Error(`unknown destination "${destinationId}"`);
    return q;
  }

  destinations(): string[] {
    return [...this.queues.keys()];
  }

  /**
   * Puts the publication's job at `dueAtMs`: a delayed job is moved; a waiting one is taken back and
   * added again delayed; a finished one (completed or failed) is replaced, so an editor's Retry or
   * decision runs it again. A job still running (it is about to finish: the desk only resumes a
   * publication its job gave up on) is waited for, up to `activeWaitMs`.
   */
  async schedule(storyId: string, destination: string, dueAtMs: number): Promise<void> {
    const q = this.queue(destination);
    const jobId = publishJobId(storyId, destination);
    const add = await clearJobSlot(q, jobId, {
      activeWaitMs: this.activeWaitMs,
      busy: `the publication of ${storyId} on ${destination} is still running; try again shortly`,
      // A delayed job is moved to the new time; one waiting, finished or unknown is replaced.
      keep: async (job, state) => {
        if (state !== 'delayed') return false;
        await job.changeDelay(Math.max(0, dueAtMs - this.now()));
        return true;
      },
    });
    if (!add) return;
    await q.add(
      PUBLISH_JOB,
      { storyId, destination },
      // No attempts or backoff here: the processor retries (see afterFailure in publish.job.ts), and
      // options this short keep a scheduled job a compact hash in Redis.
      { jobId, delay: Math.max(0, dueAtMs - this.now()) },
    );
  }

  async cancel(storyId: string, destination: string): Promise<boolean> {
    const job = await this.queue(destination).getJob(publishJobId(storyId, destination));
    if (!job) return false;
    const state = await job.getState();
    if (state !== 'delayed' && state !== 'waiting' && state !== 'prioritized') return false;
    await job.remove();
    return true;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
