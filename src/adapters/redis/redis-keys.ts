/**
 * Every Redis key regwire uses, in one place. All start with `<prefix>:` (deployments and tests share a
 * server by prefix). The part in `{…}` is the Redis Cluster hash tag: keys with the same tag live in the
 * same slot, so one script or MULTI may touch them together; keys with different tags spread over the
 * cluster's primaries. The groups:
 * - one story (`{story:<id>}`): its record, publications, each destination's part ledger and lease, its
 *   history. Every script that changes a publication touches only these.
 * - one destination's pacing (`{pace:<destination>}`): the sliding log of sends and the platform's budgets.
 * - one destination's plan (`{plan:<destination>}`): due times, units, the planning lock.
 * - one BullMQ queue (`{<queue name>}`, see {@link bullPrefix}).
 * - intake dedup records (`{intake}`), and each feed source (`{intake-source:<id>}`).
 * - single keys that are never used together with another in one command: the story list, the URL index
 *   entries, the digest index, the last-publish times, each chat's current draft, the alert and intake
 *   streams.
 */
export const redisKeys = {
  story: (prefix: string, storyId: string) => `${storyTag(prefix, storyId)}:story`,
  /** A story's publications: hash of destination → status JSON. */
  pub: (prefix: string, storyId: string) => `${storyTag(prefix, storyId)}:pub`,
  /** One destination's part ledger of a story: hash of part index → part JSON. */
  parts: (prefix: string, storyId: string, destination: string) =>
    `${storyTag(prefix, storyId)}:parts:${destination}`,
  lease: (prefix: string, storyId: string, destination: string) =>
    `${storyTag(prefix, storyId)}:lease:${destination}`,
  /** What a story cost on `destination`: hash of kind → millionths of a dollar. */
  storySpend: (prefix: string, storyId: string, destination: string) =>
    `${storyTag(prefix, storyId)}:spend:${destination}`,
  /** Who did what to a story (list of JSON entries). */
  history: (prefix: string, storyId: string) => `${storyTag(prefix, storyId)}:history`,

  /** Sliding log of sends (zset, score = ms) shared by every worker pacing `destination`. */
  paceSends: (prefix: string, destination: string) => `${prefix}:{pace:${destination}}:sends`,
  /** The budgets the platform last reported for `destination` (JSON). */
  paceLive: (prefix: string, destination: string) => `${prefix}:{pace:${destination}}:live`,
  /** Set while `destination`'s account cannot pay for calls (out of credits, at its spending limit). */
  creditHold: (prefix: string, destination: string) => `${prefix}:{pace:${destination}}:credit-hold`,

  /** A destination's spend in one UTC `period` (`YYYY-MM-DD` or `YYYY-MM`), in millionths of a dollar. */
  spend: (prefix: string, destination: string, period: string) =>
    `${prefix}:{spend:${destination}}:${period}`,

  /** A destination's plan: story ids by due time (zset). */
  planDue: (prefix: string, destination: string) => `${prefix}:{plan:${destination}}:due`,
  /** A destination's plan: story id → `units:breaking`. */
  planUnits: (prefix: string, destination: string) => `${prefix}:{plan:${destination}}:units`,
  planLock: (prefix: string, destination: string) => `${prefix}:{plan:${destination}}:lock`,

  /** Every story id by queue time (zset). */
  stories: (prefix: string) => `${prefix}:stories`,
  /** The story first stored with a canonical URL (by the URL's SHA-1). */
  urlIndex: (prefix: string, urlHash: string) => `${prefix}:url:${urlHash}`,
  /** Published story ids by first publish time (zset): the digest's index. */
  published: (prefix: string) => `${prefix}:published`,
  /** destination → ISO time of its last publication (hash). */
  lastPublished: (prefix: string) => `${prefix}:last-published`,
  /** Stories that may hold a proposal not yet confirmed, cancelled or expired (set; a superset). */
  proposals: (prefix: string) => `${prefix}:proposals`,

  /** The story last previewed in a Telegram chat: its editors' current draft (string, expires). */
  currentDraft: (prefix: string, chatId: number) => `${prefix}:current-draft:${chatId}`,

  /** The alert stream the editor bot reads. */
  alerts: (prefix: string) => `${prefix}:alerts`,
  /** The intake news stream the editor bot reads. */
  intakeEvents: (prefix: string) => `${prefix}:intake-events`,

  /** Intake dedup records (`guid`, `url` hashes and the `titles` zset, written together) and their lock. */
  intake: (prefix: string, kind: 'guid' | 'url' | 'titles' | 'lock') => `${prefix}:{intake}:${kind}`,
  /** Amendment operations started and not yet seen settled (sorted set, score: ms when started; see AmendQueue). */
  amendPending: (prefix: string) => `${prefix}:{amend}:pending`,
  /** One feed source's poll state (`state`), seen items (`seen`) and poll claim (`polling`). */
  intakeSource: (prefix: string, sourceId: string, kind: 'state' | 'seen' | 'polling') =>
    `${prefix}:{intake-source:${sourceId}}:${kind}`,
};

function storyTag(prefix: string, storyId: string): string {
  return `${prefix}:{story:${storyId}}`;
}

/**
 * The BullMQ `prefix` of the queue named `queue`: `<prefix>:{<queue>}`, so every key of that queue (BullMQ
 * builds `<bullPrefix>:<queue>:…`) shares one hash tag, as BullMQ requires on Redis Cluster, and different
 * queues land on different slots. Queue, Worker and every other BullMQ object of that queue must use it.
 */
export function bullPrefix(prefix: string, queue: string): string {
  return `${prefix}:{${queue}}`;
}
