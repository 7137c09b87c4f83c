/**
 * Platform limits, as data beside the formatters. Telegram counts UTF-16 code units (what JS `.length`
 * counts); X counts weighted characters as twitter-text's `parseTweet` does.
 */
export const TELEGRAM_LIMITS = {
  /** `sendMessage` text, after entity parsing. */
  messageText: 4096,
  /** `sendPhoto` caption. */
  caption: 1024,
  /** Inline keyboard button text. */
  buttonText: 64,
} as const;

/** X (Twitter) limits for one post, per twitter-text's v3 configuration. */
export const X_LIMITS = {
  /** Weighted length: most Latin characters 1, CJK and emoji 2, any URL 23. */
  weightedLength: 280,
  /** Weighted length of one post for an account with X Premium ("longer posts"). */
  premiumWeightedLength: 25_000,
  /** What any URL counts as (t.co wrapping). */
  urlWeight: 23,
  /** X rejects a post with more than one $cashtag. */
  cashtagsPerPost: 1,
  /** X rejects a post with more than 4 media (images). */
  mediaPerPost: 4,
} as const;
