import type { XPost } from '../domain/rendered.js';
import { limitCashtags } from './cashtags.js';
import { X_LIMITS } from './limits.js';
import { type PackResult, pack } from './packer.js';
import { parsePost, xWeight } from './x-length.js';
import type { XOptions } from './x-options.js';

/** The parts of a story a thread is made of, already clean. */
export interface ThreadSource {
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly url?: string;
  /** Hashtags without `#`. */
  readonly hashtags: readonly string[];
}

const PARAGRAPH_SEP = '\n\n';
const ELLIPSIS = '…';
// Re-packing with a little less room fixes the rare post where X's count of the whole exceeds the sum of
// its parts (URL detection in context); three rounds are more than enough.
const MAX_ATTEMPTS = 3;
// A paragraph that does not fit in the current post starts the next one only when the current post is at
// least this full; otherwise its first sentences fill the current post.
const PARAGRAPH_BREAK_FILL = 2 / 3;
// How full a post must be before a sentence that does not fit starts the next one, in the packings tried
// after whole sentences failed to fit the cap: half, then full to the brim.
const SENTENCE_BREAK_FILLS = [0.5, 1];

/**
 * The X posts for a story: one long post or a thread, as `options.format` says (see {@link buildThread};
 * a long post needs `maxWeightedLength` above 280, an account with X Premium). `long-post`: one post up to
 * `maxWeightedLength`, cut with an ellipsis and the link when the story is longer; `auto`: that one post when
 * the whole story fits it, a thread otherwise; `thread` (or a limit of 280): a thread. With the link policy
 * `reply` the link follows in a reply of its own.
 */
export function buildXThread(source: ThreadSource, options: XOptions): XPost[] {
  const longLimit = options.maxWeightedLength;
  if (options.format !== 'thread' && longLimit > X_LIMITS.weightedLength) {
    const long = buildPosts(source, { ...options, maxTweets: 1 }, longLimit);
    if (options.format === 'long-post' || long.complete) return long.posts;
  }
  return buildThread(source, options);
}

/**
 * The X thread for a story. A story that fits in one post is one post (headline, body, link), never
 * numbered. Otherwise post 1 is the headline with as much of the lede as fits (the hook), and the body
 * follows packed sentence by sentence up to the limit: a paragraph starts a new post when the current one
 * is already well filled, and otherwise continues it. Splits fall between paragraphs, then sentences, then
 * words, never inside a URL, @mention, #hashtag, $cashtag or an amount like $1.2bn. Every post is valid by
 * twitter-text's own count, with room for the `i/n` numbering reserved before splitting. At most
 * `maxTweets` posts: only a story that does not fit them is cut, keeping its lead, and its last post ends
 * with an ellipsis and the link. With the link policy `reply` the story takes at most `maxTweets - 1` posts
 * (at least one) and the link line is a last post of its own. At most one $cashtag per post; no empty or
 * duplicate posts.
 */
export function buildThread(source: ThreadSource, options: XOptions): XPost[] {
  return buildPosts(source, options, Math.min(options.maxWeightedLength, X_LIMITS.weightedLength)).posts;
}

function buildPosts(
  source: ThreadSource,
  options: XOptions,
  limit: number,
): { posts: XPost[]; complete: boolean } {
  let slack = 0;
  let composed: Composed = { chunks: [], complete: false };
  let posts: string[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    composed = composeThread(source, options, limit - slack);
    posts = finish(composed.chunks, options);
    const parsed = posts.map((p) => parsePost(p, limit));
    const worst = Math.max(0, ...parsed.map((p) => p.weightedLength - limit));
    if (worst === 0 && parsed.every((p) => p.valid)) {
      return { posts: posts.map((text) => ({ text })), complete: composed.complete };
    }
    slack += Math.max(worst, 5);
  }
  // Defensive: cannot happen with sane options, but a post X rejects must never leave here.
  return {
    posts: posts.filter((p) => parsePost(p, limit).valid).map((text) => ({ text })),
    complete: false,
  };
}

/** Packed chunks, before numbering, and whether the whole story went into them. */
interface Composed {
  readonly chunks: string[];
  readonly complete: boolean;
}

function composeThread(source: ThreadSource, options: XOptions, limit: number): Composed {
  const url = source.url && options.linkPlacement !== 'none' ? source.url : undefined;
  const linkLine = url ? (options.linkLabel ? `${options.linkLabel} ${url}` : url) : undefined;
  if (linkLine && options.linkPlacement === 'reply') {
    // The story without its link, one post fewer, then the link alone.
    const story = composeThread(
      { ...source, url: undefined },
      { ...options, maxTweets: Math.max(1, options.maxTweets - 1), linkPlacement: 'none' },
      limit,
    );
    return { chunks: [...story.chunks, linkLine], complete: story.complete };
  }
  const numbering = options.numbering.position !== 'off';
  const numberRoom = numbering ? xWeight(numberLabel(options, options.maxTweets, options.maxTweets)) + 1 : 0;
  const capacity = limit - numberRoom;
  const tags = source.hashtags.map((t) => `#${t}`).join(' ');

  const head: string[] = [source.title.trim() || 'Untitled'];
  if (url && options.linkPlacement === 'first') head.push(url);
  if (tags && options.hashtags === 'first') head.push(tags);
  const body = [...head, ...source.paragraphs];
  const tail: string[] = [];
  if (linkLine && options.linkPlacement === 'last') tail.push(linkLine);
  if (tags && options.hashtags === 'last') tail.push(tags);

  // Each packing below weighs the same paragraphs and sentences again; twitter-text is the costly part.
  const weights = new Map<string, number>();
  const measure = (text: string): number => {
    let weight = weights.get(text);
    if (weight === undefined) {
      weight = xWeight(text);
      weights.set(text, weight);
    }
    return weight;
  };
  const packOnce = (
    maxChunks: number,
    capacityAt: (i: number) => number,
    { withTail = true, sentenceBreakFill = 0 } = {},
  ): PackResult =>
    pack([withTail ? [...body, ...tail] : body], {
      measure,
      capacityAt,
      maxChunks,
      balanceLongSentences: sentenceBreakFill < 1,
      paragraphBreakFill: sentenceBreakFill < 1 ? PARAGRAPH_BREAK_FILL : 1,
      sentenceBreakFill,
    });

  // One post when everything fits: no numbering, so the whole limit is available.
  const single = packOnce(1, () => limit);
  if (single.complete) return { chunks: single.chunks, complete: true };

  let chunks: string[];
  let complete = true;
  // Whole sentences first; before cutting anything, see whether the story fits when a sentence may run on
  // into the next post: first only from a post less than half full, then from any post.
  let whole = packOnce(options.maxTweets, () => capacity);
  for (const sentenceBreakFill of SENTENCE_BREAK_FILLS) {
    if (whole.complete) break;
    whole = packOnce(options.maxTweets, () => capacity, { sentenceBreakFill });
  }
  if (whole.complete) {
    chunks = whole.chunks;
  } else {
    // Too long for the cap: keep the lead, end the last post with an ellipsis and the link.
    const link = linkLine ? `${PARAGRAPH_SEP}${linkLine}` : '';
    const ending = ` ${ELLIPSIS}${link}`;
    const last = options.maxTweets - 1;
    const endingWeight = xWeight(ending);
    const cut = packOnce(options.maxTweets, (i) => (i === last ? capacity - endingWeight : capacity), {
      withTail: false,
    });
    chunks = cut.chunks;
    // Only the link did not fit (it goes on the last post): the story itself is whole.
    complete = cut.complete;
    const final = chunks.length - 1;
    // Complete without the tail (only the link did not fit): no ellipsis, just the link.
    if (final >= 0) chunks[final] = chunks[final] + (cut.complete ? link : ending);
  }
  return { chunks, complete };
}

/** Posts from packed chunks: one $cashtag each, no empty or repeated ones, numbered when more than one. */
function finish(chunks: readonly string[], options: XOptions): string[] {
  const numbering = options.numbering.position !== 'off';
  const posts: string[] = [];
  const seen = new Set<string>();
  for (const chunk of chunks) {
    const post = limitCashtags(chunk).trim();
    const key = post.toLowerCase().replace(/\s+/g, ' ');
    if (post === '' || seen.has(key)) continue;
    seen.add(key);
    posts.push(post);
  }
  if (!numbering || posts.length < 2) return posts;
  return posts.map((post, i) => {
    const label = numberLabel(options, i + 1, posts.length);
    return options.numbering.position === 'prefix' ? `${label} ${post}` : `${post} ${label}`;
  });
}

function numberLabel(options: XOptions, i: number, n: number): string {
  return options.numbering.format.replaceAll('{i}', String(i)).replaceAll('{n}', String(n));
}
