import type { HistoryEntry } from '../domain/history.js';
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

/**
 * What the start of a publish attempt found:
 * - `run`: publish (the publication is now `publishing`);
 * - `early`: not due yet or embargoed: come back at {@link PublishSnapshot.notBefore};
 * - `gone`: the story is not stored; `cancelled` / `published`: nothing left to do;
 * - `not-runnable`: a draft, failed or waiting for an editor: a stale job, nothing to do.
 */
export type BeginVerdict = 'run' | 'early' | 'gone' | 'cancelled' | 'published' | 'not-runnable';

/** Everything the publish job needs about one story on one destination, read in one round trip. */
export interface PublishSnapshot {
  readonly verdict: BeginVerdict;
  /** For `early`: ISO time before which nothing may be sent (the due time or the embargo's end). */
  readonly notBefore?: string;
  readonly record: StoryRecord | undefined;
  /** The publication before this attempt marked it `publishing`. */
  readonly publication: PublicationStatus | undefined;
  readonly parts: PartRecord[];
  /**
   * With a {@link FirstSend} asked for and nothing of this publication recorded yet: 0 when the first
   * send was reserved and recorded as `sending`, else how many ms to wait before reserving it.
   * Absent when it was not tried (already begun, cancelled, story gone, or a store that cannot do it in
   * the same step: on a Redis Cluster, or waiting for replicas; the run then reserves it itself).
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

/** A compare-and-set change of one publication's state (see {@link StoryStore.transition}). */
export interface PublicationChange {
  /** States it may be in for the change to apply (`none`: no publication recorded yet). */
  readonly from: readonly (PublicationState | 'none')[];
  readonly to: PublicationState;
  /** ISO time of the change. */
  readonly at: string;
  /** The new reason; absent clears it. */
  readonly reason?: string;
  /** Other fields to set (`null` clears one). */
  readonly set?: {
    readonly dueAt?: string | null;
    readonly moved?: string | null;
    readonly embargoUntil?: string | null;
  };
  /** A ledger entry to write in the same atomic step, only if the change applies (an editor's decision). */
  readonly part?: PartRecord;
}

/** Result of {@link StoryStore.transition}: the state before the change, or the state that refused it. */
export type TransitionResult =
  | { readonly ok: true; readonly previous: PublicationState | 'none' }
  | { readonly ok: false; readonly current: PublicationState | 'none' };

/** Why {@link StoryStore.replaceIfUnsent} refused: a publication under way, or a part out or in flight. */
export type ReplaceRefusal =
  | { readonly kind: 'gone' }
  | { readonly kind: 'state'; readonly destination: string; readonly state: PublicationState }
  | {
      readonly kind: 'part';
      readonly destination: string;
      readonly index: number;
      readonly state: PartState;
    };

/**
 * Durable state of stories and their publications. Implemented on Redis by
 * `src/adapters/redis/redis-story-store.ts`.
 */
export interface StoryStore {
  /** Stores a new story atomically, refusing a duplicate (same id or same canonical URL). */
  create(record: StoryRecord): Promise<CreateStoryResult>;
  get(storyId: string): Promise<StoryRecord | undefined>;
  /**
   * Starts a publish attempt in one atomic step: takes the publication lease (resolves undefined when
   * another attempt holds it; the same `claim` again is the same attempt, so a re-sent begin is harmless),
   * reads the story, its publication as it was and the destination's part ledger, and decides (see
   * {@link BeginVerdict}); on `run` marks the publication `publishing` and, with `first`, reserves the
   * first send when nothing was recorded yet. Any verdict but `run` releases the lease. A store that
   * waits for replicas also resolves undefined (lease released) when the start did not reach one in time:
   * come back shortly, as when another attempt holds the lease.
   * `dueToleranceMs` forgives a worker clock that runs behind the one that set the due time.
   */
  beginPublication(
    storyId: string,
    destination: string,
    at: string,
    claim: LeaseClaim,
    first?: FirstSend,
    dueToleranceMs?: number,
  ): Promise<PublishSnapshot | undefined>;
  /**
   * Records a finished publication, the destination's last-publish time and (if digestable) the digest
   * index, atomically, with the last part's ledger entry and the lease's release, only while the lease is
   * held (else throws `LeaseLostError` and writes nothing). Resolves `stopped` when the publication was
   * cancelled while its last part was in flight: the part is recorded, the cancellation stays.
   */
  finishPublication(
    status: PublicationStatus,
    storyId: string,
    atMs: number,
    digestable: boolean,
    close: FinishClose & { readonly leaseToken: string },
  ): Promise<'published' | 'stopped'>;
  /** Replaces the stored record of an existing story (an edit before publication). */
  replace(record: StoryRecord): Promise<void>;
  /**
   * Changes the stored record by compare-and-set: `change` gets the record as stored now and returns
   * the new one, or undefined to write nothing. When another writer changed the record in between,
   * `change` runs again on what that writer left (so two amendments at once both stay). Resolves the record
   * written, or undefined when there is no such story or `change` declined. A record written with an open
   * proposal is on {@link proposalStories}.
   */
  update(
    storyId: string,
    change: (current: StoryRecord) => StoryRecord | undefined,
  ): Promise<StoryRecord | undefined>;
  /**
   * Replaces the story atomically only while nothing of it is under way on any destination (no
   * publication publishing or published, no part sent, in flight or of unknown outcome); else says why.
   * With `only`, just those destinations are checked: for a change that leaves the others' payloads as
   * they are (an X link policy leaves the channel post alone).
   */
  replaceIfUnsent(record: StoryRecord, only?: readonly string[]): Promise<ReplaceRefusal | undefined>;
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
  /**
   * Ids of stories that may hold a proposal (a previewed amendment) not yet confirmed, cancelled or expired:
   * every story {@link update} wrote one to, until {@link forgetProposalStory}. A superset: read the record.
   */
  proposalStories(): Promise<string[]>;
  /** Takes a story off {@link proposalStories}, unless its record holds an open proposal (again) by then. */
  forgetProposalStory(storyId: string): Promise<void>;

  /** Writes a publication as given (a new story's drafts; tests). Changes go through {@link transition}. */
  setPublication(storyId: string, status: PublicationStatus): Promise<void>;
  /**
   * Changes a publication's state only if it is in one of `change.from` (compare-and-set, one atomic
   * step), keeping its other fields unless `change.set` says otherwise.
   */
  transition(storyId: string, destination: string, change: PublicationChange): Promise<TransitionResult>;
  publications(storyId: string): Promise<PublicationStatus[]>;

  parts(storyId: string, destination: string): Promise<PartRecord[]>;
  /** Writes one part's ledger entry. `sending` must be written before the platform call, `sent` after it. */
  setPart(storyId: string, destination: string, record: PartRecord): Promise<void>;
}

export type { PartState };
