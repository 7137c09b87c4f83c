import type { Actor } from './history.js';
import type { TelegramEdit } from './telegram-edit.js';

/** A change to a story already published: a correction, or a retraction. */
export type AmendmentKind = 'correction' | 'retraction';

/**
 * One platform call of an amendment: one part of its ledger, recorded `sending` before the call and
 * `sent` after it like a publication's parts. Every step acts on a post regwire published, by its remote id.
 * - `telegram-edit`: edit the post in place (a correction);
 * - `telegram-delete-or-edit`: delete the post, or, when Telegram refuses because it is 48 hours old or
 *   more, edit it into `fallback` (a retraction);
 * - `x-reply`: post `text` as a reply to `replyToId` (a correction under the thread's first tweet);
 * - `x-delete`: delete one tweet;
 * - `x-post`: post `text` on its own (a retraction notice).
 * Edits and deletes are idempotent (done twice, they land once); the posts are looked up like tweets.
 */
export type AmendmentStep =
  | { readonly kind: 'telegram-edit'; readonly messageId: number; readonly edit: TelegramEdit }
  | { readonly kind: 'telegram-delete-or-edit'; readonly messageId: number; readonly fallback: TelegramEdit }
  | { readonly kind: 'x-reply'; readonly replyToId: string; readonly text: string }
  | { readonly kind: 'x-delete'; readonly tweetId: string }
  | { readonly kind: 'x-post'; readonly text: string };

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
  /** `c1`, `c2`… for corrections, `r1` for a retraction: unique within the story. */
  readonly id: string;
  readonly kind: AmendmentKind;
  /** The correction, or the retraction's reason, as the editor wrote it. */
  readonly text: string;
  /** ISO time it was asked for (the time shown in "Corrected HH:MM UTC"). */
  readonly requestedAt: string;
  readonly requestedBy: Actor;
  readonly operations: readonly AmendmentOperation[];
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

/** The next free id of `kind` among a story's amendments (`c1`, `c2`…, `r1`…). */
export function nextAmendmentId(existing: readonly Amendment[], kind: AmendmentKind): string {
  const letter = kind === 'correction' ? 'c' : 'r';
  return `${letter}${existing.filter((a) => a.kind === kind).length + 1}`;
}
