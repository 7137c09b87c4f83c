import type { TweetStore } from './tweet-store.js';
import { photoMediaKey } from './tweet-text.js';
import type { XStandInTweet } from './x-standin-types.js';

/** `tweet.fields` values the real API accepts; the stand-in renders the ones it can know. */
export const TWEET_FIELDS: readonly string[] = [
  'article',
  'attachments',
  'author_id',
  'card_uri',
  'community_id',
  'context_annotations',
  'conversation_id',
  'created_at',
  'display_text_range',
  'edit_controls',
  'edit_history_tweet_ids',
  'entities',
  'geo',
  'id',
  'in_reply_to_user_id',
  'lang',
  'media_metadata',
  'non_public_metrics',
  'note_tweet',
  'organic_metrics',
  'possibly_sensitive',
  'promoted_metrics',
  'public_metrics',
  'referenced_tweets',
  'reply_settings',
  'scopes',
  'source',
  'text',
  'withheld',
];

/** `expansions` values the real API accepts on tweet lookups and timelines. */
export const TWEET_EXPANSIONS: readonly string[] = [
  'article.cover_media',
  'article.media_entities',
  'attachments.media_keys',
  'attachments.media_source_tweet',
  'attachments.poll_ids',
  'author_id',
  'edit_history_tweet_ids',
  'entities.mentions.username',
  'entities.note.mentions.username',
  'geo.place_id',
  'in_reply_to_user_id',
  'referenced_tweets.id',
  'referenced_tweets.id.author_id',
];

// An expansion brings the field it expands into the tweet, as X does (`expansions=author_id` adds `author_id`).
const FIELD_OF_EXPANSION: Readonly<Record<string, string>> = {
  'attachments.media_keys': 'attachments',
  author_id: 'author_id',
  in_reply_to_user_id: 'in_reply_to_user_id',
  'referenced_tweets.id': 'referenced_tweets',
  'referenced_tweets.id.author_id': 'referenced_tweets',
};

/** The tweet fields to render: those asked for in `tweet.fields` plus those the expansions imply. */
export function impliedFields(fields: ReadonlySet<string>, expansions: ReadonlySet<string>): Set<string> {
  const all = new Set(fields);
  for (const expansion of expansions) {
    const field = FIELD_OF_EXPANSION[expansion];
    if (field) all.add(field);
  }
  return all;
}

/** A stored tweet as X v2 returns it: `id`, `text`, `edit_history_tweet_ids` plus requested fields. */
export function renderTweet(
  tweet: XStandInTweet,
  fields: ReadonlySet<string>,
  store: TweetStore,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: tweet.id,
    text: tweet.returned_text ?? tweet.text,
    edit_history_tweet_ids: [tweet.id],
  };
  const parent = tweet.in_reply_to_tweet_id ? store.get(tweet.in_reply_to_tweet_id) : undefined;
  if (fields.has('created_at')) out.created_at = tweet.created_at;
  if (fields.has('author_id')) out.author_id = tweet.author_id;
  if (fields.has('conversation_id')) out.conversation_id = conversationId(tweet, store);
  if (fields.has('in_reply_to_user_id') && parent) out.in_reply_to_user_id = parent.author_id;
  if (fields.has('referenced_tweets') && tweet.in_reply_to_tweet_id) {
    out.referenced_tweets = [{ type: 'replied_to', id: tweet.in_reply_to_tweet_id }];
  }
  if (fields.has('attachments') && tweet.media_ids?.length)
    out.attachments = { media_keys: tweet.media_ids.map(photoMediaKey) };
  if (fields.has('entities') && tweet.urls?.length) out.entities = { urls: tweet.urls };
  return out;
}

function conversationId(tweet: XStandInTweet, store: TweetStore): string {
  let current = tweet;
  while (current.in_reply_to_tweet_id) {
    const parent = store.get(current.in_reply_to_tweet_id);
    if (!parent) break;
    current = parent;
  }
  return current.id;
}
