import { type ConnectionOptions, Queue } from 'bullmq';
import { bullPrefix } from '../src/adapters/redis/redis-keys.js';
import type { AmendmentScheduler } from '../src/ports/amendment-scheduler.js';
import { AMEND_QUEUE } from './amend.job.js';
import { PUBLISH_JOB, type PublishPayload } from './publish.job.js';
import { publishJobId } from './publish-queues.js';

// How long a decision waits for the operation's job to finish stopping.
const ACTIVE_WAIT_MS = 5_000;

/** The producer of the amend queue: one job per amendment operation, with a deterministic id. */
export class AmendQueue implements AmendmentScheduler {
  readonly queue: Queue<PublishPayload>;

  constructor(connection: ConnectionOptions, prefix: string) {
    this.queue = new Queue<PublishPayload>(AMEND_QUEUE, {
      connection,
      prefix: bullPrefix(prefix, AMEND_QUEUE),
    });
  }

  /**
   * Starts the operation's job. Asked again while it waits or runs, it is still one job; once the job has
   * ended (an editor's Retry after a failure), a new one replaces it: the ledger says what is left to do.
   */
  async schedule(storyId: string, destination: string): Promise<void> {
    const jobId = publishJobId(storyId, destination);
    for (const deadline = Date.now() + ACTIVE_WAIT_MS; ; ) {
      const existing = await this.queue.getJob(jobId);
      if (!existing) break;
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed' && state !== 'active') return;
      // A job that just stopped for an editor may still be finishing: wait for it to end.
      if (state === 'active') {
        if (Date.now() > deadline)
          throw new Error(`${destination} of ${storyId} is still running; try again shortly`);
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const removed = await existing.remove().then(
        () => true,
        () => false,
      );
      if (removed) break;
    }
    await this.queue.add(PUBLISH_JOB, { storyId, destination }, { jobId });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
