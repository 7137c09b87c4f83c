import { impliedFields, renderTweet, TWEET_EXPANSIONS, TWEET_FIELDS } from './tweet-render.js';
import type { TweetStore } from './tweet-store.js';
import { forbidden, invalidRequest, jsonReply, notFoundError, type StandInReply } from './x-problems.js';
import type { XStandInAccount, XStandInTweet } from './x-standin-types.js';

const TIMELINE_PARAMS = [
  'end_time',
  'exclude',
  'expansions',
  'max_results',
  'media.fields',
  'pagination_token',
  'place.fields',
  'poll.fields',
  'since_id',
  'start_time',
  'tweet.fields',
  'until_id',
  'user.fields',
];
const LOOKUP_PARAMS = [
  'expansions',
  'media.fields',
  'place.fields',
  'poll.fields',
  'tweet.fields',
  'user.fields',
];
const ID_PATTERN = /^[0-9]{1,19}$/;

/** Rejects query parameters the endpoint does not define, as X does. */
function unknownParam(query: URLSearchParams, allowed: readonly string[]): StandInReply | undefined {
  for (const key of query.keys()) {
    if (!allowed.includes(key)) {
      return invalidRequest(`The query parameter [${key}] is not one of [${allowed.join(',')}]`, {
        [key]: [query.get(key) ?? ''],
      });
    }
  }
  return undefined;
}

function listParam(
  query: URLSearchParams,
  name: 'tweet.fields' | 'expansions',
  allowed: readonly string[],
): Set<string> | StandInReply {
  const raw = query.get(name);
  const values = new Set(raw ? raw.split(',') : []);
  for (const value of values) {
    if (!allowed.includes(value)) {
      return invalidRequest(
        `The \`${name}\` query parameter value [${value}] is not one of [${allowed.join(',')}]`,
        { [name]: [raw ?? ''] },
      );
    }
  }
  return values;
}

/** The fields to render from `tweet.fields` and `expansions`, or the 400 X answers to an unknown one. */
function tweetFields(query: URLSearchParams): Set<string> | StandInReply {
  const fields = listParam(query, 'tweet.fields', TWEET_FIELDS);
  if (!(fields instanceof Set)) return fields;
  const expansions = listParam(query, 'expansions', TWEET_EXPANSIONS);
  if (!(expansions instanceof Set)) return expansions;
  return impliedFields(fields, expansions);
}

/** `includes.tweets` for `expansions=referenced_tweets.id`: the live tweets replied to, default fields. */
function includedTweets(
  query: URLSearchParams,
  tweets: readonly XStandInTweet[],
  store: TweetStore,
): { includes?: { tweets: Record<string, unknown>[] } } {
  const expansions = (query.get('expansions') ?? '').split(',');
  if (!expansions.includes('referenced_tweets.id')) return {};
  const ids = new Set(tweets.flatMap((t) => (t.in_reply_to_tweet_id ? [t.in_reply_to_tweet_id] : [])));
  const included = [...ids]
    .map((id) => store.get(id))
    .filter((t): t is XStandInTweet => t !== undefined && !t.deleted)
    .map((t) => renderTweet(t, new Set(), store));
  return included.length > 0 ? { includes: { tweets: included } } : {};
}

/** `GET /2/users/me`. */
export function getMe(account: XStandInAccount, query: URLSearchParams): StandInReply {
  const bad = unknownParam(query, ['expansions', 'tweet.fields', 'user.fields']);
  if (bad) return bad;
  return jsonReply(200, {
    data: { id: account.userId, name: account.name ?? account.username, username: account.username },
  });
}

/** `GET /2/tweets/:id`: deleted and unknown tweets come back as an inline Not Found error, status 200. */
export function getTweet(id: string, query: URLSearchParams, store: TweetStore): StandInReply {
  const bad = unknownParam(query, LOOKUP_PARAMS);
  if (bad) return bad;
  if (!ID_PATTERN.test(id)) {
    return invalidRequest(`The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$`, {
      id: [id],
    });
  }
  const fields = tweetFields(query);
  if (!(fields instanceof Set)) return fields;
  const tweet = store.get(id);
  if (!tweet || tweet.deleted) return jsonReply(200, { errors: [notFoundError('tweet', id)] });
  return jsonReply(200, {
    data: renderTweet(tweet, fields, store),
    ...includedTweets(query, [tweet], store),
  });
}

/**
 * `DELETE /2/tweets/:id`. Only the author may delete. An unknown or already deleted id answers
 * `{ deleted: false }` (the stand-in's choice; X's exact answer there is undocumented).
 */
export function deleteTweet(
  account: XStandInAccount,
  id: string,
  store: TweetStore,
  emitDeleted: (tweet: XStandInTweet) => void,
): StandInReply {
  if (!ID_PATTERN.test(id)) {
    return invalidRequest(`The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$`, {
      id: [id],
    });
  }
  const tweet = store.get(id);
  if (!tweet || tweet.deleted) return jsonReply(200, { data: { deleted: false } });
  if (tweet.author_id !== account.userId) return forbidden('You are not allowed to delete this Tweet.');
  const deleted = store.markDeleted(id);
  if (deleted) emitDeleted(deleted);
  return jsonReply(200, { data: { deleted: true } });
}

const encodeToken = (id: string): string => Buffer.from(`regwire:${id}`).toString('base64url');
function decodeToken(token: string): string | undefined {
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  const id = decoded.startsWith('regwire:') ? decoded.slice('regwire:'.length) : '';
  return ID_PATTERN.test(id) ? id : undefined;
}

/** `GET /2/users/:id/tweets`: the user's live tweets, newest first, paginated by opaque tokens. */
export function userTweets(
  userId: string,
  query: URLSearchParams,
  store: TweetStore,
  knownUser: boolean,
): StandInReply {
  const bad = unknownParam(query, TIMELINE_PARAMS);
  if (bad) return bad;
  const rawMax = query.get('max_results');
  const max = rawMax === null ? 10 : Number(rawMax);
  if (!Number.isInteger(max) || max < 5 || max > 100) {
    return invalidRequest(`The \`max_results\` query parameter value [${rawMax}] is not between 5 and 100`, {
      max_results: [rawMax ?? ''],
    });
  }
  const fields = tweetFields(query);
  if (!(fields instanceof Set)) return fields;
  for (const name of ['since_id', 'until_id'] as const) {
    const value = query.get(name);
    if (value !== null && !ID_PATTERN.test(value)) {
      return invalidRequest(`The \`${name}\` query parameter value [${value}] does not match ^[0-9]{1,19}$`, {
        [name]: [value],
      });
    }
  }
  const token = query.get('pagination_token');
  const before = token === null ? undefined : decodeToken(token);
  if (token !== null && before === undefined) {
    return invalidRequest(`The \`pagination_token\` query parameter value [${token}] is not valid`, {
      pagination_token: [token],
    });
  }
  if (!knownUser) return jsonReply(200, { errors: [notFoundError('user', userId)] });

  const sinceId = query.get('since_id');
  const untilId = query.get('until_id');
  const excludeReplies = (query.get('exclude') ?? '').split(',').includes('replies');
  const matching = store
    .liveByAuthor(userId)
    .filter((t) => sinceId === null || BigInt(t.id) > BigInt(sinceId))
    .filter((t) => untilId === null || BigInt(t.id) < BigInt(untilId))
    .filter((t) => before === undefined || BigInt(t.id) < BigInt(before))
    .filter((t) => !excludeReplies || t.in_reply_to_tweet_id === undefined);
  const page = matching.slice(0, max);
  const newest = page[0];
  const oldest = page.at(-1);
  if (!newest || !oldest) return jsonReply(200, { meta: { result_count: 0 } });
  return jsonReply(200, {
    data: page.map((t) => renderTweet(t, fields, store)),
    ...includedTweets(query, page, store),
    meta: {
      result_count: page.length,
      newest_id: newest.id,
      oldest_id: oldest.id,
      ...(matching.length > page.length ? { next_token: encodeToken(oldest.id) } : {}),
    },
  });
}
