import type { Job, JobState, Queue } from 'bullmq';

/** What {@link clearJobSlot} does with the job already under the id. */
export interface JobSlotOptions {
  /** How long a running job is waited for before `busy` is thrown. */
  readonly activeWaitMs: number;
  /** The error's message when a running job does not end in time (the caller can try again shortly). */
  readonly busy: string;
  /**
   * A job there that is not running: resolve true to keep it (it stands; nothing is to be added), false
   * to have it replaced.
   */
  readonly keep: (job: Job, state: JobState | 'unknown') => Promise<boolean>;
}

/**
 * Clears the way for a new job under `jobId` (BullMQ keeps one job per id). A running job is waited for;
 * any other is kept or removed as `keep` says. Removing fails when a worker took the job meanwhile: it is
 * then looked at again. Resolves true when the caller must add its job, false when the one there stands.
 */
export async function clearJobSlot(queue: Queue, jobId: string, options: JobSlotOptions): Promise<boolean> {
  for (const deadline = Date.now() + options.activeWaitMs; ; ) {
    const existing = await queue.getJob(jobId);
    if (!existing) return true;
    const state = await existing.getState();
    if (state === 'active') {
      if (Date.now() > deadline) throw new Error(options.busy);
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    if (await options.keep(existing, state)) return false;
    const removed = await existing.remove().then(
      () => true,
      () => false,
    );
    if (removed) return true;
  }
}
