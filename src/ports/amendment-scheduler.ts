/** Starts the job of one amendment operation (story × `amendmentDestination`), now. Asking twice is one job. */
export interface AmendmentScheduler {
  schedule(storyId: string, destination: string): Promise<void>;
}
