import twitterText from 'twitter-text';
import type { XPost } from '../domain/rendered.js';
import { X_LIMITS } from './limits.js';
import { duplicateOf, type SentXPost } from './x-duplicates.js';
import { parsePost } from './x-length.js';

/**
 * Something X would refuse (or mangle) in a thread, found before anything is sent:
 * - `cashtags`: more than one $cashtag in a post (X's API refuses it: 403);
 * - `length`: a post X would not take as it is (over the weighted limit, empty, invalid characters);
 * - `url`: the story's link is not one X recognises as a URL, so it would go out as plain text, unlinked;
 * - `media`: more images on a post than X takes (4; 400);
 * - `duplicate`: the same text as a post the account sent lately (403 "duplicate content").
 */
export interface XPreflightProblem {
  readonly kind: 'cashtags' | 'length' | 'url' | 'media' | 'duplicate';
  /** 1-based number of the post it is in. */
  readonly post: number;
  /** One line for an editor. */
  readonly message: string;
}

/** What {@link xPreflight} checks a thread against. */
export interface XPreflightOptions {
  /** The account's weighted limit per post (280; up to 25,000 with X Premium). */
  readonly maxWeightedLength: number;
  /** The story's link, checked where a post carries it. */
  readonly url?: string;
  /** Images each post carries, in order (none when absent). */
  readonly mediaPerPost?: readonly number[];
}

/**
 * The thread's problems with X, post by post (empty when there are none). Pure. Duplicate content is
 * {@link xDuplicateProblems}' (it needs the posts sent lately).
 */
export function xPreflight(posts: readonly XPost[], options: XPreflightOptions): XPreflightProblem[] {
  const problems: XPreflightProblem[] = [];
  posts.forEach((p, i) => {
    const post = i + 1;
    const text = p.text.normalize('NFC');
    const cashtags = twitterText.extractCashtags(text);
    if (cashtags.length > X_LIMITS.cashtagsPerPost) {
      problems.push({
        kind: 'cashtags',
        post,
        message: `tweet ${post} has ${cashtags.length} cashtags (${cashtags.map((c) => `$${c}`).join(', ')}): X refuses more than ${X_LIMITS.cashtagsPerPost} a post`,
      });
    }
    const parsed = parsePost(text, options.maxWeightedLength);
    if (!parsed.valid) {
      problems.push({
        kind: 'length',
        post,
        message: `tweet ${post} is not a post X takes (${parsed.weightedLength}/${options.maxWeightedLength} weighted characters, or empty, or holding characters X refuses)`,
      });
    }
    const url = options.url?.trim();
    if (url && text.includes(url) && !twitterText.extractUrls(text).includes(url)) {
      problems.push({
        kind: 'url',
        post,
        message: `tweet ${post}: the link ${url} is not a URL X recognises; it would go out as plain text, not a link`,
      });
    }
    const media = options.mediaPerPost?.[i] ?? 0;
    if (media > X_LIMITS.mediaPerPost) {
      problems.push({
        kind: 'media',
        post,
        message: `tweet ${post} carries ${media} images: X takes at most ${X_LIMITS.mediaPerPost} a post`,
      });
    }
  });
  return problems;
}

/** The thread's posts that repeat one of `recent` (X refuses them as duplicate content). Pure. */
export function xDuplicateProblems(
  posts: readonly XPost[],
  recent: readonly SentXPost[],
): XPreflightProblem[] {
  return posts.flatMap((p, i) => {
    const same = duplicateOf(p.text, recent);
    if (!same) return [];
    const post = i + 1;
    return [
      {
        kind: 'duplicate' as const,
        post,
        message: `tweet ${post} is the same text as ${same.what}, sent ${same.at.slice(11, 16)} UTC: X refuses a post that repeats a recent one; reword it`,
      },
    ];
  });
}
