/** A tweet as regwire needs to know it. */
export interface XTweet {
  readonly id: string;
  readonly text: string;
  readonly inReplyToId?: string;
}

/** An image to attach to a post: its bytes and the type they are (JPEG, PNG, GIF or WebP). */
export interface XImage {
  readonly bytes: Uint8Array;
  readonly mimeType: string;
}

/**
 * Publishing to the authenticated X account. Implemented by `src/adapters/x/` over twitter-api-v2.
 * Every failure is thrown as a `PublishError` carrying the retry decision; rate-limit headers seen on any
 * response are reported through `onRateLimit` when the adapter was given one.
 */
export interface XPort {
  /** Posts one tweet, as a reply to `replyToId` when given, with the uploaded media `mediaIds` attached. */
  tweet(
    text: string,
    options?: { replyToId?: string; mediaIds?: readonly string[]; signal?: AbortSignal },
  ): Promise<XTweet>;
  /**
   * Uploads an image (≤ 5 MB; JPEG, PNG, GIF, WebP) for this account and resolves to its media id, to
   * pass to {@link tweet} within 24 h. Optional: a port without media posts text only.
   */
  uploadImage?(image: XImage, signal?: AbortSignal): Promise<string>;
  /**
   * The account's most recent tweets, newest first (at most `max`, at most 100; from `startTime`, an ISO
   * time, when given), to reconcile unknown outcomes. X bills every post read: ask for few.
   */
  recentTweets(
    max: number,
    options?: { readonly startTime?: string; readonly signal?: AbortSignal },
  ): Promise<readonly XTweet[]>;
  /**
   * Deletes one of the account's tweets (`DELETE /2/tweets/:id`, its own window: 50 per 15 minutes per
   * user). Resolves `already-gone` when X answers `deleted: false` (deleted before, or unknown), so a
   * repeated delete is harmless.
   */
  deleteTweet(id: string, signal?: AbortSignal): Promise<XDeleteOutcome>;
}

/** How a tweet delete ended; see {@link XPort.deleteTweet}. */
export type XDeleteOutcome = 'deleted' | 'already-gone';

/** Rate-limit state read from X's response headers. Times are epoch milliseconds. */
export interface XRateLimitSnapshot {
  readonly window?: { readonly limit: number; readonly remaining: number; readonly resetAtMs: number };
  readonly day?: { readonly limit: number; readonly remaining: number; readonly resetAtMs: number };
}
