import twitterText from 'twitter-text';
import type { TweetStore } from './tweet-store.js';
import { forbidden, invalidRequest, jsonReply, type StandInReply } from './x-problems.js';
import type { XStandInAccount, XStandInTweet } from './x-standin-types.js';

/** Top-level fields of the `POST /2/tweets` body schema. */
const BODY_FIELDS = new Set([
  'text',
  'reply',
  'media',
  'quote_tweet_id',
  'reply_settings',
  'poll',
  'geo',
  'for_super_followers_only',
  'direct_message_deep_link',
  'nullcast',
  'card_uri',
  'community_id',
  'share_with_followers',
  'made_with_ai',
  'paid_partnership',
]);

const ID_PATTERN = /^[0-9]{1,19}$/;

export const TEXT_TOO_LONG =
  'Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text.';
export const DUPLICATE_CONTENT = 'You are not allowed to create a Tweet with duplicate content.';
export const REPLY_TARGET_GONE = 'You attempted to reply to a Tweet that is deleted or not visible to you.';
/** X's refusal of a reply its target's reply rules do not allow (see test/contract/fixtures/x/). */
export const REPLY_RESTRICTED =
  'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.';
/** X's 400 for more than {@link MEDIA_PER_POST} media on one post (see test/contract/fixtures/x/). */
export const TOO_MANY_MEDIA = '$.media.media_ids: there must be a maximum of 4 items in the array';
const MEDIA_PER_POST = 4;

/** X's refusal of a post with two or more cashtags (see test/contract/fixtures/x/). */
export const CASHTAG_LIMIT = 'Posts are limited to a maximum of one cashtag.';

export interface CreateContext {
  readonly store: TweetStore;
  readonly now: () => number;
  readonly duplicateWindowMs: number;
  /** The first media id this account may not attach (unknown, someone else's, unfinished), if any. */
  readonly refuseMedia?: (ids: readonly string[]) => string | undefined;
  /** Whether replies to this tweet are refused by its reply rules. */
  readonly repliesRestricted?: (tweetId: string) => boolean;
  readonly emitCreated: (tweet: XStandInTweet) => void;
  /** With text fidelity: X's returned text for a new tweet, given its id. */
  readonly returnedText?: (
    submitted: string,
    id: string,
    mediaIds: readonly string[] | undefined,
  ) => Pick<XStandInTweet, 'returned_text' | 'urls'>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `POST /2/tweets`: validates like X (schema, weighted length, reply target, duplicates), then stores. */
export function createTweet(
  account: XStandInAccount,
  contentType: string | undefined,
  rawBody: Buffer,
  ctx: CreateContext,
): StandInReply {
  if (!contentType?.toLowerCase().startsWith('application/json')) {
    return invalidRequest('Requests with bodies must have content-type of application/json.');
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return invalidRequest('Request body is not valid JSON.');
  }
  if (!isObject(body)) return invalidRequest('$: expected object but found another type', { $: ['body'] });
  for (const key of Object.keys(body)) {
    if (!BODY_FIELDS.has(key)) {
      return invalidRequest(
        `$.${key}: is not defined in the schema and the schema does not allow additional properties`,
        { [`$.${key}`]: [JSON.stringify(body[key])] },
      );
    }
  }

  const text = body.text ?? '';
  if (typeof text !== 'string') {
    return invalidRequest('$.text: expected string', { text: [JSON.stringify(body.text)] });
  }

  let mediaIds: string[] | undefined;
  if (body.media !== undefined) {
    const ids = isObject(body.media) ? body.media.media_ids : undefined;
    // X's schema messages for the array's size (as X words them; see test/contract/fixtures/x/).
    if (Array.isArray(ids) && ids.length > MEDIA_PER_POST) {
      return invalidRequest(TOO_MANY_MEDIA, { 'media.media_ids': [JSON.stringify(ids)] });
    }
    if (Array.isArray(ids) && ids.length === 0) {
      return invalidRequest('$.media.media_ids: there must be a minimum of 1 item in the array', {
        'media.media_ids': ['[]'],
      });
    }
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && ID_PATTERN.test(id))) {
      return invalidRequest('Your media IDs are invalid.', { 'media.media_ids': [JSON.stringify(ids)] });
    }
    mediaIds = ids as string[];
    const refused = ctx.refuseMedia?.(mediaIds);
    if (refused !== undefined) {
      return invalidRequest('Your media IDs are invalid.', { 'media.media_ids': [refused] });
    }
  }

  let replyTo: string | undefined;
  if (body.reply !== undefined) {
    const target = isObject(body.reply) ? body.reply.in_reply_to_tweet_id : undefined;
    if (target === undefined) {
      return invalidRequest('$.reply.in_reply_to_tweet_id: is missing but it is required', {
        '$.reply': [JSON.stringify(body.reply)],
      });
    }
    if (typeof target !== 'string' || !ID_PATTERN.test(target)) {
      return invalidRequest(
        `$.reply.in_reply_to_tweet_id: string [${String(target)}] does not match pattern ^[0-9]{1,19}$`,
        { 'reply.in_reply_to_tweet_id': [String(target)] },
      );
    }
    replyTo = target;
  }

  if (text.length === 0 && !mediaIds) {
    return invalidRequest('Post text must not be empty unless media is attached.', { text: [text] });
  }
  // Premium accounts may post longer; everyone else 280 weighted characters.
  if (twitterText.parseTweet(text).weightedLength > (account.maxWeightedLength ?? 280)) {
    return invalidRequest(TEXT_TOO_LONG, { text: [text] });
  }
  if (twitterText.extractCashtags(text).length > 1) return forbidden(CASHTAG_LIMIT);

  if (replyTo !== undefined) {
    const parent = ctx.store.get(replyTo);
    if (!parent || parent.deleted) return forbidden(REPLY_TARGET_GONE);
    if (ctx.repliesRestricted?.(replyTo)) return forbidden(REPLY_RESTRICTED);
  }

  const now = ctx.now();
  // The newest identical tweet decides: the stand-in clock only moves forward, so older ones are older.
  const same = text.length > 0 ? ctx.store.newestLiveWithText(account.userId, text) : undefined;
  const duplicate = same !== undefined && now - Date.parse(same.created_at) < ctx.duplicateWindowMs;
  if (duplicate) return forbidden(DUPLICATE_CONTENT);

  const render = ctx.returnedText;
  const tweet = ctx.store.create(
    {
      text,
      author_id: account.userId,
      ...(replyTo !== undefined ? { in_reply_to_tweet_id: replyTo } : {}),
      ...(mediaIds ? { media_ids: mediaIds } : {}),
    },
    render ? (id) => render(text, id, mediaIds) : undefined,
  );
  ctx.emitCreated(tweet);
  return jsonReply(201, {
    data: { id: tweet.id, text: tweet.returned_text ?? tweet.text, edit_history_tweet_ids: [tweet.id] },
  });
}
