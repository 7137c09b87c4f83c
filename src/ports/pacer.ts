import type { PartRecord } from '../domain/publication.js';
import type { LiveRateState } from '../schedule/destination-schedule.js';

/**
 * A ledger entry to write in the same atomic step as a successful reservation (the part's `sending`
 * record), guarded by the publication lease when there is one. Saves a round trip per send.
 */
export interface ReservationMark {
  readonly storyId: string;
  readonly part: PartRecord;
  /**
   * The previous part's `sent` record, written in the same step even when the send must wait (the
   * lease still guards it): a thread's part k is confirmed with part k+1's reservation, one round trip
   * per tweet instead of two.
   */
  readonly confirmed?: PartRecord;
  readonly leaseToken?: string;
}

/** A destination's runtime limits as the pacer applies them: spacing, and sends per sliding window. */
export interface PaceLimits {
  readonly minIntervalMs: number;
  readonly windows: readonly { readonly windowMs: number; readonly limit: number }[];
}

/**
 * Runtime pacing shared by every worker process: before each platform call a worker reserves a send
 * on the destination. The planner already spaced publications; this guard keeps the limits true even
 * when jobs pile up (retries, breaking news, several workers).
 */
export interface Pacer {
  /**
   * Reserves one send on `destination` now (by the shared store's clock, so workers on several machines
   * agree) if every limit allows it and resolves to 0, or
   * resolves to how many ms to wait before trying again (nothing reserved, nothing written). With a
   * `mark`, the entry is written only when the reservation succeeds; a lease that is no longer held
   * throws `LeaseLostError` and writes no mark (where the reservation and the ledger cannot be one step,
   * a Redis Cluster, the reservation is made first and that one send of budget is spent). A mark that
   * must reach a replica and does not in time is taken back and the call throws (no send may start).
   */
  reserve(destination: string, mark?: ReservationMark): Promise<number>;
  /** The limits `reserve` applies to `destination` (none for a destination it does not know). */
  limits(destination: string): PaceLimits;
  /** Records the budgets the platform reported (X's rate-limit headers). */
  recordLive(destination: string, live: LiveRateState): Promise<void>;
  /** The last recorded live budgets. */
  live(destination: string): Promise<LiveRateState | undefined>;
}
