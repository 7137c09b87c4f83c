/**
 * Puts a story's publication on one destination onto the delivery queue. Implemented with BullMQ delayed
 * jobs in `jobs/publish-queues.ts`; the job id is deterministic, so scheduling the same pair twice is a no-op.
 */
export interface PublicationScheduler {
  /** Schedules (or moves) the publication of `storyId` on `destination` to `dueAtMs` (epoch ms). */
  schedule(storyId: string, destination: string, dueAtMs: number): Promise<void>;
  /** Removes a publication that has not started; false when there was none waiting. */
  cancel(storyId: string, destination: string): Promise<boolean>;
}
