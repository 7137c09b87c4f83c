import type { Amendment } from './amendment.js';
import type { Rendered } from './rendered.js';
import type { Story } from './story.js';

/**
 * Where one part (one channel post, one tweet) of a publication stands.
 * - `sending`: written just before the platform call; if a worker finds it later, the call may have landed.
 * - `sent`: confirmed, with the platform's id. Never sent again.
 * - `unknown`: the call may or may not have landed and could not be reconciled; an editor decides.
 * - `failed`: the platform refused it (permanent); the reason is kept.
 */
export type PartState = 'sending' | 'sent' | 'unknown' | 'failed';

/** The ledger entry of one part: story × destination × part index. */
export interface PartRecord {
  readonly index: number;
  readonly state: PartState;
  /** Telegram message id or tweet id, once known. */
  readonly remoteId?: string;
  /** ISO time of the last change. */
  readonly at: string;
  readonly reason?: string;
  /** For X replies: the tweet this part replies to. */
  readonly replyTo?: string;
  /**
   * On a `sending` entry: the publish attempt that wrote it. That attempt knows whether it called the
   * platform; any other attempt must treat the part as possibly posted.
   */
  readonly attempt?: string;
  /** Set when an editor recorded the part as posted (their name); the remote id is then theirs, if any. */
  readonly confirmedBy?: string;
  /**
   * An editor chose to post the rest of a stopped thread as a new thread: this part replies to nothing.
   */
  readonly newThread?: boolean;
  /**
   * On part 0 of a publication the spend budget held: an editor changed the story (its link dropped) and
   * asked for the budget to be checked again before it goes out. Without it, a held story sent on is an
   * editor's "post anyway".
   */
  readonly recheckBudget?: boolean;
}

/** Where a story stands on one destination. */
export type PublicationState =
  | 'draft'
  | 'scheduled'
  | 'publishing'
  | 'published'
  | 'failed'
  | 'needs-attention'
  | 'cancelled';

export interface PublicationStatus {
  readonly destination: string;
  readonly state: PublicationState;
  /** ISO time the publication is (or was) due; absent for a draft. */
  readonly dueAt?: string;
  readonly updatedAt: string;
  /** Why it is due then, or why it failed. One line for an editor. */
  readonly reason?: string;
  /** Set when a limit, the embargo or the gap pushed it later than asked. */
  readonly moved?: string;
  /** ISO time before which nothing of this publication may be sent, whatever starts it (embargo). */
  readonly embargoUntil?: string;
}

/** A queued story as stored: the story, exactly what will be sent, and when it was queued. */
export interface StoryRecord {
  readonly story: Story;
  readonly rendered: Rendered;
  readonly queuedAt: string;
  readonly destinations: readonly string[];
  /** Corrections and retractions asked for after publication, oldest first. */
  readonly amendments?: readonly Amendment[];
  /**
   * The story's own choice for its Telegram posts (`/quiet`, `/protect`): `silent` without a sound,
   * `protectContent` not forwardable or savable. A flag left out follows the destination's `post` default.
   */
  readonly post?: { readonly silent?: boolean; readonly protectContent?: boolean };
}
