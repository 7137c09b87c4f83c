/** What regwire remembers about polling one source. Times are epoch ms. */
export interface SourceState {
  readonly etag?: string;
  readonly lastModified?: string;
  /** Consecutive failed polls. */
  readonly failures: number;
  /** Polls are skipped until then. */
  readonly backoffUntilMs: number;
  /** Editors were told the source is failing (reset by a success). */
  readonly alerted: boolean;
  readonly lastError?: string;
  /** Last successful poll; absent before the first one. */
  readonly lastOkMs?: number;
}

/** Where an earlier story was recorded for dedup. */
export interface SeenStory {
  readonly storyId: string;
  readonly title: string;
  readonly atMs: number;
}

/**
 * Feed intake's memory: per-source poll state (validators, failures, backoff) and the item keys each
 * source has handled, and the cross-source dedup records (GUIDs, canonical URLs, titles) that point at the
 * first story, with the locks that keep two polls apart. Implemented on Redis in
 * `src/adapters/redis/redis-intake-store.ts`.
 */
export interface IntakeStore {
  sourceState(sourceId: string): Promise<SourceState>;
  /** Records a successful poll: new validators (kept when absent), failures and backoff cleared. */
  recordSuccess(
    sourceId: string,
    atMs: number,
    validators: { etag?: string | undefined; lastModified?: string | undefined },
  ): Promise<void>;
  /** Counts a failed poll and sets the backoff; returns the new consecutive-failure count. */
  recordFailure(sourceId: string, reason: string, backoffUntilMs: number): Promise<number>;
  /** Marks "editors were told" once; true when this call set it (so exactly one caller alerts). */
  markAlerted(sourceId: string): Promise<boolean>;
  /** Forgets a source's poll state (it left the config). */
  forgetSource(sourceId: string): Promise<void>;
  /** Which of `itemKeys` this source has already handled. */
  seen(sourceId: string, itemKeys: readonly string[]): Promise<Set<string>>;
  /** Records `itemKeys` as handled by this source at `atMs` (only the most recent few thousand are kept). */
  markSeen(sourceId: string, itemKeys: readonly string[], atMs: number): Promise<void>;
  /** The first story recorded under this GUID or canonical URL. */
  storyFor(kind: 'guid' | 'url', value: string): Promise<string | undefined>;
  /**
   * Records a story's GUIDs, canonical URLs and title. Existing GUID/URL entries are kept (they point at
   * the first story).
   */
  remember(
    storyId: string,
    keys: { guids: readonly string[]; urls: readonly string[]; title?: string },
    atMs: number,
  ): Promise<void>;
  /** Titles recorded since `sinceMs` (epoch ms); older ones may be pruned on the way. */
  titlesSince(sinceMs: number): Promise<SeenStory[]>;
  /**
   * Claims the right to poll `sourceId` now; undefined when another poll of it is still running (a slow
   * feed and a short interval). The claim expires after `ttlMs` should its holder die; call the returned
   * function to release it.
   */
  claimPoll(sourceId: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  /** Runs `task` holding the intake lock, so two polls never draft the same event at once. */
  withLock<T>(task: () => Promise<T>): Promise<T>;
}
