/** Key layout shared by the Redis adapters that touch the same data (ledger, leases, pacing). */
export const redisKeys = {
  parts: (prefix: string, storyId: string, destination: string) =>
    `${prefix}:parts:${storyId}:${destination}`,
  lease: (prefix: string, storyId: string, destination: string) =>
    `${prefix}:lease:${storyId}:${destination}`,
};
