import twitterText from 'twitter-text';

/**
 * X's pay-per-use prices for the calls regwire makes, in US dollars. X bills every `POST /2/tweets` by
 * request, at one price when its text holds a URL and another when it does not, and reads by post returned
 * (deduplicated per post within a UTC day; failed requests are not billed). Prices change: they live in
 * config (`x.pricing` in `config/regwire.json`), never in code.
 */
export interface XPricing {
  /** One `POST /2/tweets` whose text holds no URL ("Post: Create"). */
  readonly createUsd: number;
  /** One `POST /2/tweets` whose text holds a URL as X finds URLs ("Post: Create (with URL)"). */
  readonly createWithUrlUsd: number;
  /** Each post returned by a read of other accounts' posts ("Posts: Read"). */
  readonly postReadUsd: number;
  /**
   * Each post returned by a read of the account's own posts ("Owned Reads": `GET /2/users/:id/tweets` for the
   * authenticated user), which is what a reconcile reads.
   */
  readonly ownedPostReadUsd: number;
  /** The day (YYYY-MM-DD) these prices were read from X's pricing page. */
  readonly readOn: string;
}

/** Which of X's create prices a post is billed at. */
export type XCreateKind = 'create' | 'create-with-url';

/** What one post costs to create. */
export interface XPostCost {
  readonly kind: XCreateKind;
  readonly usd: number;
}

/** What a thread costs to post, part by part. */
export interface XThreadCost {
  /** One entry per post, in order. */
  readonly parts: readonly XPostCost[];
  /** The sum of {@link parts}, in USD. */
  readonly totalUsd: number;
  /** 1-based numbers of the posts that hold a URL (and so cost the with-URL price). */
  readonly postsWithUrl: readonly number[];
}

// Money is added up in millionths of a dollar, as integers: 0.2 + 5 × 0.015 must be 0.275, not 0.27499….
const MICROS = 1_000_000;
const toMicros = (usd: number): number => Math.round(usd * MICROS);
const fromMicros = (micros: number): number => micros / MICROS;

/** The sum of dollar amounts, exact to a millionth of a dollar. */
export function addUsd(...amounts: readonly number[]): number {
  return fromMicros(amounts.reduce((sum, usd) => sum + toMicros(usd), 0));
}

/** `usd` times `count`, exact to a millionth of a dollar. */
export function timesUsd(usd: number, count: number): number {
  return fromMicros(toMicros(usd) * count);
}

/**
 * Whether X counts the text as holding a URL: a link twitter-text extracts, the same extraction X uses
 * to link and t.co-wrap text, so bare domains such as `Crypto.com` count too.
 */
export function containsUrl(text: string): boolean {
  // Every URL twitter-text finds has a dot between two characters that are neither space nor dot (its
  // domain's last label): text without one holds none, and skips the extraction (the publish path asks
  // this for every tweet it sends).
  if (!MAYBE_URL.test(text)) return false;
  return twitterText.extractUrls(text.normalize('NFC')).length > 0;
}

const MAYBE_URL = /[^\s.]\.[^\s.]/u;

/** What creating one post with this text costs. */
export function postCost(text: string, pricing: XPricing): XPostCost {
  return containsUrl(text)
    ? { kind: 'create-with-url', usd: pricing.createWithUrlUsd }
    : { kind: 'create', usd: pricing.createUsd };
}

/** What posting every post of a thread costs, once each (no retries, no reads). */
export function threadCost(posts: readonly { readonly text: string }[], pricing: XPricing): XThreadCost {
  const parts = posts.map((p) => postCost(p.text, pricing));
  return {
    parts,
    totalUsd: addUsd(...parts.map((p) => p.usd)),
    postsWithUrl: parts.flatMap((p, i) => (p.kind === 'create-with-url' ? [i + 1] : [])),
  };
}

/** What a read returning `posts` posts costs: the account's own timeline (a reconcile) by default. */
export function readCost(posts: number, pricing: XPricing, whose: 'own' | 'others' = 'own'): number {
  return timesUsd(whose === 'own' ? pricing.ownedPostReadUsd : pricing.postReadUsd, Math.max(0, posts));
}
