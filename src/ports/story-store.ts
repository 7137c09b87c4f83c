import type { HistoryEntry } from '../app/desk.js';
import type {
  PartRecord,
  PartState,
  PublicationState,
  PublicationStatus,
  StoryRecord,
} from '../domain/publication.js';
import type { PaceLimits } from './pacer.js';

/** Result of trying to store a new story: refused when the same story (id or canonical URL) exists. */
export type CreateStoryResult =
  | { readonly created: true }
  | { readonly created: false; readonly existingId: string };

/** A publication lease to take: see `PublicationLeases.held` for its handle. */
export interface LeaseClaim {
  readonly token: string;
  readonly ttlMs: number;
}

/** Everything the publish job needs about one story on one destination, read in one round trip. */
export interface PublishSnapshot {
  readonly record: StoryRecord | undefined;
  /** The publication before this attempt marked it `publishing`. */
  readonly publication: PublicationStatus | undefined;
  readonly parts: PartRecord[];
  /**
   * With a {@link FirstSend} asked for and nothing of this publication recorded yet: 0 when the first
   * send was reserved and recorded as `sending`, else how many ms to wait before reserving it.
   * Absent when it was not tried (already begun, cancelled, story gone).
   */
  readonly firstSendWaitMs?: number;
}

/**
 * The first send of a publication, reserved on the destination's pacing log in the same atomic step as
 * its start (a round trip less per publication): only when its ledger is empty.
 */
export interface FirstSend {
  /** Part 0's `sending` record, written only when the reservation succeeds. */
  readonly part: PartRecord;
  readonly limits: PaceLimits;
}

/** What the end of a publish job closes together with the publication (see `finishPublication`). */
export interface FinishClose {
  /** The last part's `sent` entry, written with the publication. */
  readonly lastPart?: PartRecord;
  /** The publication lease's token: the writes happen only while it is held, and release it. */
  readonly leaseToken?: string;
}

/**
 * Durable state of stories and their publications. Implemented on Redis by
 * `src/adapters/redis/redis-story-store.ts`.
 */
export interface StoryStore {
  /** Stores a new story atomically, refusing a duplicate (same id or same canonical URL). */
  create(record: StoryRecord): Promise<CreateStoryResult>;
  get(storyId: string): Promise<StoryRecord | undefined>;
  /**
   * Starts a publish attempt in one atomic step: takes the publication lease (with `claim`; resolves
   * undefined when another worker holds it), reads the story, its publication as it was and the
   * destination's part ledger, and marks the publication `publishing` (unless it was cancelled or the
   * story is gone); with `first`, also reserves the first send when nothing was recorded yet.
   */
  beginPublication(
    storyId: string,
    destination: string,
    at: string,
    claim?: LeaseClaim,
    first?: FirstSend,
  ): Promise<PublishSnapshot | undefined>;
  /**
   * Records a finished publication, the destination's last-publish time and (if digestable) the digest
   * index, atomically; with `close`, also the last part's ledger entry and the lease's release, only while
   * the lease is held (else throws `LeaseLostError` and writes nothing).
   */
  finishPublication(
    status: PublicationStatus,
    storyId: string,
    atMs: number,
    digestable: boolean,
    close?: FinishClose,
  ): Promise<void>;
  /** Replaces the stored record of an existing story (an edit before publication). */
  replace(record: StoryRecord): Promise<void>;
  /** Appends to the story's action history (who did what, when). */
  appendHistory(storyId: string, entry: HistoryEntry): Promise<void>;
  history(storyId: string): Promise<HistoryEntry[]>;
  /** Remembers that a story was published at `atMs` (for the daily digest). */
  indexPublished(storyId: string, atMs: number): Promise<void>;
  /** destination → ISO time of its last successful publication. */
  lastPublished(): Promise<Record<string, string>>;
  /** Ids of stories published in `[startMs, endMs)`, oldest first. */
  publishedBetween(startMs: number, endMs: number): Promise<string[]>;
  /** Most recently queued story ids, newest first. */
  recent(limit: number): Promise<string[]>;

  setPublication(storyId: string, status: PublicationStatus): Promise<void>;
  /** Updates the state of an existing publication, keeping its due time. */
  updatePublication(
    storyId: string,
    destination: string,
    state: PublicationState,
    at: string,
    reason?: string,
  ): Promise<void>;
  publications(storyId: string): Promise<PublicationStatus[]>;

  parts(storyId: string, destination: string): Promise<PartRecord[]>;
  /** Writes one part's ledger entry. `sending` must be written before the platform call, `sent` after it. */
  setPart(storyId: string, destination: string, record: PartRecord): Promise<void>;
}

export type { PartState };
