/** Key layout shared by the Redis adapters that touch the same data (ledger, leases, pacing). */
export const redisKeys = {
  parts: (prefix: string, storyId: string, destination: string) =>
    `${prefix}:parts:${storyId}:${destination}`,
  /** A story's publications: hash of destination → status JSON. */
  pub: (prefix: string, storyId: string) => `${prefix}:pub:${storyId}`,
  lease: (prefix: string, storyId: string, destination: string) =>
    `${prefix}:lease:${storyId}:${destination}`,
  /** Sliding log of sends (zset, score = ms) shared by every worker pacing `destination`. */
  paceSends: (prefix: string, destination: string) => `${prefix}:pace:sends:${destination}`,
  /** The budgets the platform last reported for `destination` (JSON). */
  paceLive: (prefix: string, destination: string) => `${prefix}:pace:live:${destination}`,
};
