/**
 * Starts the job of one amendment operation (story × `amendmentDestination`), now. Asking again while it
 * waits or runs is one job; after it ended (an editor's Retry), a new one continues from the ledger.
 */
export interface AmendmentScheduler {
  schedule(storyId: string, destination: string): Promise<void>;
}
