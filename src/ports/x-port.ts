/** A tweet as regwire needs to know it. */
export interface XTweet {
  readonly id: string;
  readonly text: string;
  readonly inReplyToId?: string;
}

/**
 * Publishing to the authenticated X account. Implemented by `src/adapters/x/` over twitter-api-v2.
 * Every failure is thrown as a `PublishError` carrying the retry decision; rate-limit headers seen on any
 * response are reported through `onRateLimit` when the adapter was given one.
 */
export interface XPort {
  /** Posts one tweet, as a reply to `replyToId` when given. */
  tweet(text: string, options?: { replyToId?: string; signal?: AbortSignal }): Promise<XTweet>;
  /** The account's most recent tweets, newest first (at most `max`, at most 100), to reconcile unknown outcomes. */
  recentTweets(max: number, signal?: AbortSignal): Promise<readonly XTweet[]>;
}

/** Rate-limit state read from X's response headers. Times are epoch milliseconds. */
export interface XRateLimitSnapshot {
  readonly window?: { readonly limit: number; readonly remaining: number; readonly resetAtMs: number };
  readonly day?: { readonly limit: number; readonly remaining: number; readonly resetAtMs: number };
}
