/**
 * Starts the job of one amendment operation (story × `amendmentDestination`), now. Asking again while it
 * waits or runs is one job; after it ended (an editor's Retry), a new one continues from the ledger.
 */
export interface AmendmentScheduler {
  /**
   * Notes that the operation is about to start, before its publication leaves `none`: if its job is then
   * lost (a crash before it was queued, Redis restored from an old snapshot), the sweep finds it.
   */
  remember(storyId: string, destination: string): Promise<void>;
  schedule(storyId: string, destination: string): Promise<void>;
}
