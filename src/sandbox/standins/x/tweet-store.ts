import type { XStandInThread, XStandInTweet } from './x-standin-types.js';

const TWITTER_EPOCH_MS = 1_288_834_974_657n;

/** Stored tweets in posting order, with snowflake-like ids that always increase. */
export class TweetStore {
  #tweets: XStandInTweet[] = [];
  #byId = new Map<string, XStandInTweet>();
  // author + text → ids, oldest first: the duplicate-content check must not scan every tweet.
  #byText = new Map<string, string[]>();
  #lastId = 0n;

  constructor(private readonly now: () => number) {}

  /** A new id: milliseconds since the Twitter epoch shifted left 22 bits, bumped to stay increasing. */
  nextId(): bigint {
    const candidate = (BigInt(Math.max(0, Math.floor(this.now()))) - TWITTER_EPOCH_MS) << 22n;
    this.#lastId = candidate > this.#lastId ? candidate : this.#lastId + 1n;
    return this.#lastId;
  }

  /** Stores a new tweet; `derive` adds what depends on its id (X's returned text and its links). */
  create(
    fields: Omit<XStandInTweet, 'id' | 'created_at' | 'deleted'>,
    derive?: (id: string) => Pick<XStandInTweet, 'returned_text' | 'urls'>,
  ): XStandInTweet {
    const id = this.nextId().toString();
    const tweet: XStandInTweet = {
      id,
      created_at: new Date(this.now()).toISOString(),
      deleted: false,
      ...fields,
      ...derive?.(id),
    };
    this.#tweets.push(tweet);
    this.#byId.set(tweet.id, tweet);
    const key = textKey(tweet.author_id, tweet.text);
    const same = this.#byText.get(key);
    if (same) same.push(tweet.id);
    else this.#byText.set(key, [tweet.id]);
    return tweet;
  }

  /** The newest live tweet of `authorId` whose text is exactly `text`. */
  newestLiveWithText(authorId: string, text: string): XStandInTweet | undefined {
    const ids = this.#byText.get(textKey(authorId, text)) ?? [];
    for (let i = ids.length - 1; i >= 0; i--) {
      const tweet = this.#byId.get(ids[i] as string);
      if (tweet && !tweet.deleted) return tweet;
    }
    return undefined;
  }

  get(id: string): XStandInTweet | undefined {
    return this.#byId.get(id);
  }

  markDeleted(id: string): XStandInTweet | undefined {
    const index = this.#tweets.findIndex((t) => t.id === id);
    const tweet = this.#tweets[index];
    if (!tweet) return undefined;
    const deleted = { ...tweet, deleted: true };
    this.#tweets[index] = deleted;
    this.#byId.set(id, deleted);
    return deleted;
  }

  all(): readonly XStandInTweet[] {
    return [...this.#tweets];
  }

  /** Live (not deleted) tweets of one author, newest first. */
  liveByAuthor(authorId: string): XStandInTweet[] {
    return this.#tweets.filter((t) => t.author_id === authorId && !t.deleted).reverse();
  }

  threads(): XStandInThread[] {
    const rootOf = (tweet: XStandInTweet): string => {
      let current = tweet;
      while (current.in_reply_to_tweet_id) {
        const parent = this.#byId.get(current.in_reply_to_tweet_id);
        if (!parent) break;
        current = parent;
      }
      return current.id;
    };
    const threads = new Map<string, { root: XStandInTweet; replies: XStandInTweet[] }>();
    for (const tweet of this.#tweets) {
      const rootId = rootOf(tweet);
      if (rootId === tweet.id) threads.set(rootId, { root: tweet, replies: [] });
      else threads.get(rootId)?.replies.push(tweet);
    }
    return [...threads.values()];
  }

  reset(): void {
    this.#tweets = [];
    this.#byId.clear();
    this.#byText.clear();
  }
}

const textKey = (authorId: string, text: string): string => `${authorId}\u0000${text}`;
