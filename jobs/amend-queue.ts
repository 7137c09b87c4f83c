import { type ConnectionOptions, Queue } from 'bullmq';
import { bullPrefix } from '../src/adapters/redis/redis-keys.js';
import type { AmendmentScheduler } from '../src/ports/amendment-scheduler.js';
import { AMEND_QUEUE } from './amend.job.js';
import { PUBLISH_JOB, type PublishPayload } from './publish.job.js';
import { publishJobId } from './publish-queues.js';

/** The producer of the amend queue: one job per amendment operation, with a deterministic id. */
export class AmendQueue implements AmendmentScheduler {
  readonly queue: Queue<PublishPayload>;

  constructor(connection: ConnectionOptions, prefix: string) {
    this.queue = new Queue<PublishPayload>(AMEND_QUEUE, {
      connection,
      prefix: bullPrefix(prefix, AMEND_QUEUE),
    });
  }

  async schedule(storyId: string, destination: string): Promise<void> {
    // The same operation asked twice is one job (BullMQ keeps the first one with this id).
    await this.queue.add(
      PUBLISH_JOB,
      { storyId, destination },
      { jobId: publishJobId(storyId, destination) },
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
