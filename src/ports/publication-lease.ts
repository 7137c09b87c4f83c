import type { PartRecord } from '../domain/publication.js';

/**
 * Exclusive right to publish one story on one destination. BullMQ's job lock can be lost (a long event
 * loop stall, a network blip) while the worker still runs; the lease makes sure two workers never send
 * parts of the same publication at once: every ledger write is checked against it atomically.
 */
export interface PublicationLease {
  /** The holder's token (ledger writes elsewhere can be guarded by it). */
  readonly token: string;
  /** Extends the lease; false when it was lost (another worker may own the publication now). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
  /**
   * Writes a part's ledger entry if, and only if, the lease is still held; else throws
   * {@link LeaseLostError}. A `sending` entry is written only while the publication is `publishing`;
   * else throws {@link PublicationStoppedError} (cancelled or skipped: no new send may start).
   */
  setPart(record: PartRecord): Promise<void>;
  /**
   * Takes back a `sending` entry this attempt wrote for part `index` but never acted on (the send did not
   * start): the part becomes unsent again (`failed` with `reason`) instead of "possibly posted".
   * Best effort; resolves false when there was no such entry.
   */
  retractSending(index: number, reason: string, at: string): Promise<boolean>;
}

export interface PublicationLeases {
  /** Takes the lease for `ttlMs`, or resolves undefined when another worker holds it. */
  acquire(
    storyId: string,
    destination: string,
    token: string,
    ttlMs: number,
  ): Promise<PublicationLease | undefined>;
  /** The handle of a lease taken elsewhere with `token` (e.g. by `StoryStore.beginPublication`). */
  held(storyId: string, destination: string, token: string, ttlMs: number): PublicationLease;
}

/**
 * The publication was cancelled or skipped while it ran: the attempt stops before its next part. What is
 * already out stays out; the editor was told which parts that is.
 */
export class PublicationStoppedError extends Error {
  override readonly name = 'PublicationStoppedError';
  readonly code = 'PUBLICATION_STOPPED';
  constructor(storyId: string, destination: string) {
    super(
      `publication of ${storyId} on ${destination} was cancelled or skipped; stopping before the next part`,
    );
  }
}

/** The lease expired or was taken over: this worker must stop publishing this story now. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  readonly code = 'LEASE_LOST';
  constructor(storyId: string, destination: string) {
    super(`lost the publishing lease of ${storyId} on ${destination}; another worker continues it`);
  }
}
