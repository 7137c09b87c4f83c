/**
 * Public contract of the stand-in X API v2 server: options, the inspection model and fault specs.
 * Field names of inspected tweets follow the X API (`created_at`, `in_reply_to_tweet_id`).
 */

import type { XPricing } from '../../../format/x-cost.js';
import type { StandInFaultKind } from '../fault-kinds.js';

/** One OAuth 1.0a user-context identity the stand-in accepts. */
export interface XStandInAccount {
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly accessSecret: string;
  /** Numeric user id, as X uses it in `/2/users/:id/...`. */
  readonly userId: string;
  readonly username: string;
  /** Display name returned by `GET /2/users/me`; defaults to the username. */
  readonly name?: string;
  /** Weighted length of the longest post it may create: 280, or up to 25,000 with X Premium. Default 280. */
  readonly maxWeightedLength?: number;
}

/** Routes faults can target, written as `METHOD /path-pattern`. */
export type XStandInRoute =
  | 'POST /2/tweets'
  | 'DELETE /2/tweets/:id'
  | 'GET /2/tweets/:id'
  | 'GET /2/users/me'
  | 'GET /2/users/:id/tweets'
  | 'POST /2/media/upload/initialize'
  | 'POST /2/media/upload/:id/append'
  | 'POST /2/media/upload/:id/finalize'
  | 'GET /2/media/upload';

/**
 * The fault kinds, named and behaving as in the Telegram stand-in; see {@link StandInFaultKind}.
 * 5xx kinds answer an `about:blank` problem (`{ title, detail, type, status }`), before or after acting.
 */
export type XStandInFaultKind = StandInFaultKind;
export { STAND_IN_FAULT_KINDS } from '../fault-kinds.js';

/** A fault rule. Without `method` it matches every X API route (not `/_standin/...`). */
export interface XStandInFault {
  readonly method?: XStandInRoute;
  readonly kind: XStandInFaultKind;
  /** Chance in [0, 1] that a matching request is hit, drawn from the seeded PRNG. Default 1. */
  readonly probability?: number;
  /** How many requests this rule hits before it is removed. Default: unlimited. */
  readonly times?: number;
  /** For `latency`: delay before handling, in ms. Default 100. */
  readonly latencyMs?: number;
}

/** A link in a tweet's returned text, as X v2 describes it under `entities.urls` (offsets in characters). */
export interface XStandInUrlEntity {
  readonly start: number;
  readonly end: number;
  /** The `https://t.co/…` link that replaced it in the returned text. */
  readonly url: string;
  /** The link as written (a bare domain gets `http://`), or the media page for a media link. */
  readonly expanded_url: string;
  readonly display_url: string;
  /** Set on the link X appends for attached media. */
  readonly media_key?: string;
}

/** A tweet as the stand-in stored it. */
export interface XStandInTweet {
  readonly id: string;
  /** The text exactly as the client posted it. */
  readonly text: string;
  /**
   * With `textFidelity`: the text as X returns it in API answers (`&<>` escaped, links as t.co, a media link
   * appended); absent otherwise, when answers carry `text` unchanged.
   */
  readonly returned_text?: string;
  /** With `textFidelity`: the t.co links in `returned_text`. */
  readonly urls?: readonly XStandInUrlEntity[];
  readonly author_id: string;
  /** ISO-8601 creation time from the stand-in clock. */
  readonly created_at: string;
  readonly in_reply_to_tweet_id?: string;
  readonly media_ids?: readonly string[];
  readonly deleted: boolean;
}

/** A media upload as the stand-in tracked it. */
export interface XStandInMedia {
  readonly id: string;
  /** User id of the account that uploaded it; only that account may attach it. */
  readonly ownerId: string;
  readonly mediaType: string;
  readonly totalBytes: number;
  readonly finalized: boolean;
}

/** A root tweet and every reply below it, in posting order. */
export interface XStandInThread {
  readonly root: XStandInTweet;
  readonly replies: readonly XStandInTweet[];
}

/** Live notifications from the stand-in. */
export type XStandInEvent =
  | { readonly type: 'tweet-created'; readonly tweet: XStandInTweet }
  | { readonly type: 'tweet-deleted'; readonly tweet: XStandInTweet }
  | {
      readonly type: 'request';
      readonly route: string;
      readonly status: number;
      /** Set when a fault rule changed how the request was answered. */
      readonly fault?: XStandInFaultKind;
    };

/** How an X API v2 stand-in is started: where it listens, who may call it, its rate windows. */
export interface XStandInOptions {
  /** Interface to bind. Default `127.0.0.1`. */
  readonly host?: string;
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Accepted identities. Default: the single {@link X_SANDBOX_ACCOUNT}. */
  readonly accounts?: readonly XStandInAccount[];
  /** Verify the HMAC-SHA1 OAuth 1.0a signature of every request. Default true. */
  readonly verifySignatures?: boolean;
  /** Length of the per-user rate-limit window, in ms. Default 15 min. */
  readonly windowMs?: number;
  /** Requests per user per window for `POST /2/tweets`. Default 100. */
  readonly perWindow?: number;
  /** Requests per user per window for the read endpoints. Default 900. */
  readonly readPerWindow?: number;
  /**
   * Requests per user per window for `DELETE /2/tweets/:id`, a window of its own. Default 50: "User rate
   * limit (User context): 50 requests per 15-minute window per each authenticated user"
   * (https://developer.x.com/en/docs/x-api/tweets/manage-tweets/api-reference/delete-tweets-id).
   */
  readonly deletePerWindow?: number;
  /** Tweets per user per 24 h (`x-user-limit-24hour-*`). Default 2400. */
  readonly perDay?: number;
  /** How far back identical text from the same account is refused as a duplicate, in ms. Default 24 h. */
  readonly duplicateWindowMs?: number;
  /** Clock in epoch ms, for creation times, ids and rate windows. Default `Date.now`. */
  readonly now?: () => number;
  /** Seed of the PRNG drawing fault probabilities (and, with `textFidelity`, t.co codes). Default 1. */
  readonly faultSeed?: number;
  /**
   * Return tweet text the way X does: `&`, `<`, `>` escaped as `&amp;` `&lt;` `&gt;`; links and bare domains
   * (as twitter-text finds them) replaced by `https://t.co/<10 chars>`; a media link appended to a tweet with
   * media; `entities.urls` on request. Applies to every API answer (create, lookup, timeline); `tweets()` keeps
   * the posted `text` and adds `returned_text`. Default true, as X does; false echoes the posted text.
   */
  readonly textFidelity?: boolean;
  /** Billing: prices, balance, spending limit. Default: X's prices, an unlimited balance, no limit. */
  readonly billing?: XStandInBillingOptions;
}

/** What one successful request was billed as (X's price list names). */
export type XStandInChargeKind =
  | 'create'
  | 'create-with-url'
  | 'post-read'
  | 'owned-post-read'
  | 'user-read'
  | 'delete';

/** One billed request. */
export interface XStandInCharge {
  readonly route: string;
  readonly kind: XStandInChargeKind;
  /** Requests (writes) or posts returned and not yet billed today (reads). */
  readonly units: number;
  readonly usd: number;
  /** ISO time, from the stand-in clock. */
  readonly at: string;
}

/** The account's billing as the stand-in keeps it. */
export interface XStandInBillingState {
  /** Prepaid credit left in USD (may be slightly negative, as on X); null: never runs out. */
  readonly balanceUsd: number | null;
  /** Billed since start or reset. */
  readonly spentUsd: number;
  /** Spending limit of the billing cycle in USD; null: none. */
  readonly spendingLimitUsd: number | null;
  readonly pricing: XPricing;
  readonly charges: readonly XStandInCharge[];
}

/** Billing controls (also under `/_standin/billing`). */
export interface XStandInBilling {
  state(): XStandInBillingState;
  /** Adds credit (from zero when the balance was unlimited). */
  topUp(usd: number): void;
  setBalance(usd: number | null): void;
  setSpendingLimit(usd: number | null): void;
  /** From the next request on, refuse everything: out of `credits` (402) or at the `spend-cap` (403). */
  runOut(what: 'credits' | 'spend-cap'): void;
}

/** How the stand-in bills: prices (regwire's config, X's by default), the starting balance and limit. */
export interface XStandInBillingOptions {
  readonly pricing?: XPricing;
  /** Prepaid credit in USD; unlimited when absent. */
  readonly balanceUsd?: number;
  /** Spending limit per billing cycle in USD; none when absent. */
  readonly spendingLimitUsd?: number;
}

/** Fault injection controls. */
export interface XStandInFaults {
  add(fault: XStandInFault): void;
  clear(): void;
  list(): readonly XStandInFault[];
}

/** A running stand-in. */
export interface XStandIn {
  /** Base URL to point the client at, e.g. `http://127.0.0.1:40123`. */
  readonly apiRoot: string;
  readonly port: number;
  /** Every tweet ever created (deleted ones flagged), in posting order. */
  tweets(): readonly XStandInTweet[];
  /** Reply chains, one per root tweet, in posting order. */
  threads(): readonly XStandInThread[];
  /** Media uploads (finalized or not), in upload order. */
  media(): readonly XStandInMedia[];
  /** Subscribes to live events; returns the unsubscribe function. */
  onEvent(listener: (event: XStandInEvent) => void): () => void;
  readonly faults: XStandInFaults;
  /** The account's credit balance and what each request was billed. */
  readonly billing: XStandInBilling;
  /**
   * Makes X refuse replies to `tweetId` by its reply rules (403, as when the author limited who may reply),
   * or lifts that. Also `POST /_standin/tweets/:id/reply-rules` with `{ "restricted": true|false }`.
   */
  restrictReplies(tweetId: string, restricted?: boolean): void;
  /** Forgets tweets, rate-limit counters, nonces, faults, charges and reply rules; the balance and limit start over. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * The default sandbox identity. These keys are fake, published here on purpose, and only ever accepted by
 * the stand-in: use them in tests and local runs.
 */
export const X_SANDBOX_ACCOUNT: XStandInAccount = {
  appKey: 'sandbox-app-key',
  appSecret: 'sandbox-app-secret',
  accessToken: '1000000000000000001-sandboxaccesstoken',
  accessSecret: 'sandbox-access-secret',
  userId: '1000000000000000001',
  username: 'regwire_sandbox',
  name: 'regwire sandbox',
};
