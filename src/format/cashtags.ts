import twitterText from 'twitter-text';
import { X_LIMITS } from './limits.js';

/**
 * Keeps at most one $cashtag in a post (X rejects more): the first stays, later ones lose their `$` and
 * read as plain tickers. Cashtags are found by twitter-text's own rules, so `$1.2bn` is not one.
 */
export function limitCashtags(post: string): string {
  if (!post.includes('$')) return post;
  const found = twitterText.extractCashtagsWithIndices(post);
  if (found.length <= X_LIMITS.cashtagsPerPost) return post;
  let out = post;
  // Right to left, so earlier indices stay valid (they are UTF-16 indices).
  for (let i = found.length - 1; i >= X_LIMITS.cashtagsPerPost; i--) {
    const start = found[i]!.indices[0];
    out = out.slice(0, start) + out.slice(start + 1);
  }
  return out;
}
