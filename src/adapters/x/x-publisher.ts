import type {
  SendTweetV2Params,
  TweetV2DeleteTweetResult,
  TweetV2PostTweetResult,
  TweetV2UserTimelineResult,
  TwitterApi,
  UserV2Result,
} from 'twitter-api-v2';
import { PublishError } from '../../errors/publish-error.js';
import type { XDeleteOutcome, XImage, XPort, XTweet } from '../../ports/x-port.js';
import { createXClient, withRequestSignal, type XClientOptions } from './x-client.js';
import { toPublishError } from './x-errors.js';

/** The X client's credentials and endpoint, and the clock rate-limit resets are read against. */
export interface TwitterApiXPublisherOptions extends XClientOptions {
  /** Clock in epoch ms used to turn rate-limit resets into waits. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * {@link XPort} over twitter-api-v2 (OAuth 1.0a user context). Posts one tweet per call, so a thread is the
 * caller's loop and every posted id is known (`tweetThread` loses them on a mid-thread failure). Every
 * failure is thrown as a `PublishError`; rate-limit headers go to `onRateLimit`.
 */
export class TwitterApiXPublisher implements XPort {
  readonly #client: TwitterApi;
  readonly #now: () => number;
  #userId: Promise<string> | undefined;

  constructor(options: TwitterApiXPublisherOptions) {
    this.#client = createXClient(options);
    this.#now = options.now ?? Date.now;
  }

  /** `POST /2/tweets`, as a reply when `replyToId` is given. https://docs.x.com/x-api/posts/create-post */
  async tweet(
    text: string,
    options: { replyToId?: string; mediaIds?: readonly string[]; signal?: AbortSignal } = {},
  ): Promise<XTweet> {
    const { replyToId, mediaIds, signal } = options;
    this.#assertNotAborted(signal);
    try {
      const payload = {
        ...(replyToId === undefined ? {} : { reply: { in_reply_to_tweet_id: replyToId } }),
        ...(mediaIds && mediaIds.length > 0
          ? { media: { media_ids: [...mediaIds] as NonNullable<SendTweetV2Params['media']>['media_ids'] } }
          : {}),
      };
      // v2.post rather than v2.tweet: it takes the request arguments that carry the abort signal.
      const { data } = await withRequestSignal(signal, (args) =>
        this.#client.v2.post<TweetV2PostTweetResult>('tweets', { text, ...payload }, args),
      );
      return { id: data.id, text: data.text, ...(replyToId === undefined ? {} : { inReplyToId: replyToId }) };
    } catch (error) {
      throw toPublishError(error, this.#now(), { creates: true });
    }
  }

  /**
   * Chunked v2 media upload (`POST /2/media/upload/initialize`, `append`, `finalize`) through
   * `client.v2.uploadMedia`. https://docs.x.com/x-api/media/quickstart/media-upload-chunked
   * `signal` is checked before and after: uploadMedia takes no request arguments, and an upload publishes
   * nothing (an unused media id expires).
   */
  async uploadImage(image: XImage, signal?: AbortSignal): Promise<string> {
    this.#assertNotAborted(signal);
    let mediaId: string;
    try {
      mediaId = await this.#client.v2.uploadMedia(Buffer.from(image.bytes), {
        media_type: image.mimeType as 'image/jpeg',
        media_category: image.mimeType === 'image/gif' ? 'tweet_gif' : 'tweet_image',
      });
    } catch (error) {
      throw toPublishError(error, this.#now());
    }
    this.#assertNotAborted(signal);
    return mediaId;
  }

  /**
   * `GET /2/users/:id/tweets` for the authenticated account, newest first. X serves at least 5 per page,
   * so smaller requests are trimmed here. https://docs.x.com/x-api/users/get-posts
   */
  async recentTweets(
    max: number,
    options: { readonly startTime?: string; readonly signal?: AbortSignal } = {},
  ): Promise<readonly XTweet[]> {
    const { signal, startTime } = options;
    const count = Math.min(100, Math.floor(max));
    if (!(count > 0)) return [];
    this.#assertNotAborted(signal);
    try {
      const userId = await this.#authenticatedUserId(signal);
      // One page, read directly (v2.userTimeline's paginator takes no request arguments).
      const timeline = await withRequestSignal(signal, (args) =>
        this.#client.v2.get<TweetV2UserTimelineResult>(
          'users/:id/tweets',
          {
            max_results: Math.max(5, count),
            'tweet.fields': 'referenced_tweets',
            ...(startTime ? { start_time: startTime } : {}),
          },
          { ...args, params: { id: userId } },
        ),
      );
      return (timeline.data ?? []).slice(0, count).map((t) => {
        const parent = t.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
        return { id: t.id, text: t.text, ...(parent === undefined ? {} : { inReplyToId: parent }) };
      });
    } catch (error) {
      throw toPublishError(error, this.#now());
    }
  }

  /**
   * `DELETE /2/tweets/:id`; X's `{ deleted: false }` (already deleted, or unknown) resolves `already-gone`.
   * A 5xx is `transient` and a timeout `unknown-outcome`; either way deleting again is harmless.
   * https://developer.x.com/en/docs/x-api/tweets/manage-tweets/api-reference/delete-tweets-id
   */
  async deleteTweet(id: string, signal?: AbortSignal): Promise<XDeleteOutcome> {
    this.#assertNotAborted(signal);
    try {
      const { data } = await withRequestSignal(signal, (args) =>
        this.#client.v2.delete<TweetV2DeleteTweetResult>('tweets/:id', undefined, {
          ...args,
          params: { id },
        }),
      );
      return data.deleted ? 'deleted' : 'already-gone';
    } catch (error) {
      throw toPublishError(error, this.#now());
    }
  }

  /** The account's user id from `GET /2/users/me`, fetched once. */
  #authenticatedUserId(signal: AbortSignal | undefined): Promise<string> {
    this.#userId ??= withRequestSignal(signal, (args) =>
      this.#client.v2.get<UserV2Result>('users/me', undefined, args),
    ).then(
      (me) => me.data.id,
      (error: unknown) => {
        this.#userId = undefined;
        throw error;
      },
    );
    return this.#userId;
  }

  #assertNotAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted) {
      throw new PublishError({ kind: 'transient', platform: 'x', reason: 'aborted before sending' });
    }
  }
}
