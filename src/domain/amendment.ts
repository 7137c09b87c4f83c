import type { Actor } from './history.js';
import type { TelegramPayload } from './rendered.js';
import type { TelegramEdit } from './telegram-edit.js';

/**
 * A change to a story already published: a correction, a retraction, or for a live story an update (a
 * development posted under the story), `live` (its channel post pinned) and `close` (unpinned).
 */
export type AmendmentKind = 'correction' | 'retraction' | 'update' | 'live' | 'close';

/**
 * One platform call of an amendment: one part of its ledger, recorded `sending` before the call and
 * `sent` after it like a publication's parts. Every step acts on a post regwire published, by its remote id.
 * - `telegram-edit`: edit the post in place (a correction);
 * - `telegram-delete-or-edit`: delete the post, or, when Telegram refuses because it is 48 hours old or
 *   more, edit it into `fallback` (a retraction);
 * - `x-reply`: post `text` as a reply to `replyToId` (a correction under the thread's first tweet);
 * - `x-delete`: delete one tweet;
 * - `x-post`: post `text` on its own (a retraction notice);
 * - `telegram-reply`: send `payload` as a reply to the channel post `replyToMessageId` (an update);
 * - `x-continue`: post `text` as a reply to the tweet the step before it posted (an update's next tweet);
 * - `telegram-pin` / `telegram-unpin`: pin or unpin the channel post (a story going live, or closed).
 * Edits, deletes, pins and unpins are idempotent (done twice, they land once); tweets are looked up on the
 * timeline; a Telegram reply cannot be looked up, so one whose outcome is unknown goes to an editor.
 */
export type AmendmentStep =
  | { readonly kind: 'telegram-edit'; readonly messageId: number; readonly edit: TelegramEdit }
  | { readonly kind: 'telegram-delete-or-edit'; readonly messageId: number; readonly fallback: TelegramEdit }
  | { readonly kind: 'x-reply'; readonly replyToId: string; readonly text: string }
  | { readonly kind: 'x-delete'; readonly tweetId: string }
  | { readonly kind: 'x-post'; readonly text: string }
  | { readonly kind: 'telegram-reply'; readonly replyToMessageId: number; readonly payload: TelegramPayload }
  | { readonly kind: 'x-continue'; readonly text: string }
  | { readonly kind: 'telegram-pin'; readonly messageId: number }
  | { readonly kind: 'telegram-unpin'; readonly messageId: number };

/** What an amendment does on one destination: its steps, in order, rendered when it was asked for. */
export interface AmendmentOperation {
  readonly destination: string;
  readonly steps: readonly AmendmentStep[];
}

/**
 * A correction or retraction of a published story, as stored with the story. Each operation runs as a
 * publication of its own, on {@link amendmentDestination}, with its own per-part ledger, lease and job:
 * exactly once, resumable, and independent of the other destinations' operations.
 */
export interface Amendment {
  /** `c1`, `c2`… for corrections, `r1` for a retraction, `u1`… updates, `l1`… live, `e1`… close: unique within the story. */
  readonly id: string;
  readonly kind: AmendmentKind;
  /** The correction, or the retraction's reason, as the editor wrote it. */
  readonly text: string;
  /** ISO time it was asked for (the time shown in "Corrected HH:MM UTC"). */
  readonly requestedAt: string;
  readonly requestedBy: Actor;
  readonly operations: readonly AmendmentOperation[];
  /**
   * An update previewed and not yet confirmed by an editor: nothing of it is scheduled, and its X
   * operation's first reply target is fixed only when it is confirmed.
   */
  readonly proposed?: boolean;
  /** A proposed update an editor discarded: never sent; its id is not used again. */
  readonly discarded?: boolean;
  /**
   * ISO time the maintenance sweep discarded this proposal because nobody confirmed or cancelled it within
   * `amendments.proposalTtlHours` (see `src/domain/proposal-expiry.ts`); set with `discarded`.
   */
  readonly expiredAt?: string;
  /**
   * A correction's base: the corrections already confirmed when its channel edit was built (their
   * "Corrected" lines are in it). It is confirmed only while no other correction was confirmed since, or
   * its edit would take that one's line off the post.
   */
  readonly basedOn?: readonly string[];
  /** ISO time a previewed amendment was confirmed (one sent without a preview: `requestedAt`). */
  readonly confirmedAt?: string;
}

const SEPARATOR = '~';

/** The ledger's name for an amendment's operation on a destination, e.g. `telegram~c1`. */
export function amendmentDestination(destination: string, amendmentId: string): string {
  return `${destination}${SEPARATOR}${amendmentId}`;
}

/** The destination and amendment an {@link amendmentDestination} names; `undefined` for a plain destination. */
export function parseAmendmentDestination(
  name: string,
): { readonly destination: string; readonly amendmentId: string } | undefined {
  const at = name.lastIndexOf(SEPARATOR);
  if (at <= 0 || at === name.length - 1) return undefined;
  return { destination: name.slice(0, at), amendmentId: name.slice(at + 1) };
}

const ID_LETTERS: Readonly<Record<AmendmentKind, string>> = {
  correction: 'c',
  retraction: 'r',
  update: 'u',
  live: 'l',
  close: 'e',
};

/** The next free id of `kind` among a story's amendments (`c1`, `c2`…, `r1`…, `u1`…). */
export function nextAmendmentId(existing: readonly Amendment[], kind: AmendmentKind): string {
  return `${ID_LETTERS[kind]}${existing.filter((a) => a.kind === kind).length + 1}`;
}

/** Whether the amendment was asked for and confirmed (not an update still in preview, or discarded). */
export function isConfirmed(amendment: Amendment): boolean {
  return amendment.proposed !== true && amendment.discarded !== true;
}

/**
 * The `live` amendment a story is live under (its channel post pinned), or `undefined`: none was asked
 * for since the last `close`, or the story was retracted.
 */
export function liveAmendment(amendments: readonly Amendment[]): Amendment | undefined {
  if (amendments.some((a) => a.kind === 'retraction' && isConfirmed(a))) return undefined;
  const last = amendments.filter((a) => a.kind === 'live' || a.kind === 'close').at(-1);
  return last?.kind === 'live' ? last : undefined;
}

/** The ids of the story's confirmed amendments of `kind`, in the order they were asked for. */
export function confirmedIds(amendments: readonly Amendment[], kind: AmendmentKind): string[] {
  return amendments.filter((a) => a.kind === kind && isConfirmed(a)).map((a) => a.id);
}
