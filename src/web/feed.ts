import type { MessageEntity } from '../domain/rendered.js';

/** One channel message as a follower sees it. */
export interface FeedChannelMessage {
  readonly id: number;
  /** Epoch seconds, as Telegram dates are. */
  readonly date: number;
  readonly text: string;
  readonly entities: readonly MessageEntity[];
  readonly photo?: string;
  readonly buttons?: readonly (readonly { readonly text: string; readonly url?: string }[])[];
  readonly edited?: boolean;
  /** Deleted: gone for followers; the page shows only a grey "deleted" marker (text, photo and buttons are left out). */
  readonly deleted?: boolean;
  /** The channel message it replies to (a live story's update under its post). */
  readonly replyToId?: number;
  /** Pinned in the channel (a live story's post). */
  readonly pinned?: boolean;
}

export interface FeedTweet {
  readonly id: string;
  readonly text: string;
  readonly createdAt: string;
  readonly inReplyToId?: string;
  /**
   * A reply beside its thread rather than a continuation of it: it answers a tweet the thread already
   * continues from, or says "Correction". That is how regwire posts a correction (under the thread's first tweet).
   */
  readonly correction?: boolean;
  /** Deleted: gone from X; the page shows only a grey "deleted" marker (the text is left out). */
  readonly deleted?: boolean;
}

/** What the sandbox page shows: the channel and the X timeline. */
export interface FeedSnapshot {
  readonly telegram: { readonly channel: string; readonly messages: readonly FeedChannelMessage[] };
  readonly x: {
    readonly account: string;
    readonly tweets: readonly FeedTweet[];
    /** What the account was billed so far, in USD, and its prepaid balance (null: unlimited). */
    readonly billing?: { readonly spentUsd: number; readonly balanceUsd: number | null };
  };
}

/** Where the page reads what was published; the sandbox implements it over its stand-ins. */
export interface FeedSource {
  snapshot(): FeedSnapshot;
}
