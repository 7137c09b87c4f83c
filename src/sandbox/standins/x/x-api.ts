import { seededRandom } from '../../../util/seeded-random.js';
import type { CreditLedger } from './credit-ledger.js';
import type { MediaUploads } from './media-upload.js';
import { OAuth1Verifier } from './oauth1-verify.js';
import { RateWindows, type WindowState } from './rate-windows.js';
import { createTweet } from './tweet-create.js';
import { deleteTweet, getMe, getTweet, userTweets } from './tweet-queries.js';
import type { TweetStore } from './tweet-store.js';
import { photoMediaKey, returnedText, shortCode } from './tweet-text.js';
import { type StandInReply, tooManyRequests, unauthorized, withHeaders } from './x-problems.js';
import type { XStandInAccount, XStandInEvent, XStandInRoute, XStandInTweet } from './x-standin-types.js';

/** An incoming X API request, body already read. */
export interface ApiRequest {
  readonly method: string;
  /** Raw request target (path + query) as received. */
  readonly target: string;
  readonly host: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

export interface ApiSettings {
  readonly accounts: readonly XStandInAccount[];
  readonly verifySignatures: boolean;
  readonly windowMs: number;
  readonly perWindow: number;
  readonly readPerWindow: number;
  readonly deletePerWindow: number;
  readonly perDay: number;
  readonly duplicateWindowMs: number;
  readonly now: () => number;
  /** Return text as X does (escaping, t.co links, media link); see `XStandInOptions.textFidelity`. */
  readonly textFidelity: boolean;
  /** Seed of the t.co codes. */
  readonly seed: number;
  /** Bills successful requests; refuses every request when the account cannot pay. */
  readonly ledger: CreditLedger;
  /** Whether replies to this tweet are refused by its reply rules. */
  readonly repliesRestricted: (tweetId: string) => boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

interface RouteMatch {
  readonly route: XStandInRoute;
  readonly id?: string;
}

/** Maps `METHOD /path` to a known route; undefined for anything X does not serve. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const m = method.toUpperCase();
  if (m === 'POST' && path === '/2/tweets') return { route: 'POST /2/tweets' };
  if (m === 'GET' && path === '/2/users/me') return { route: 'GET /2/users/me' };
  if (m === 'POST' && path === '/2/media/upload/initialize')
    return { route: 'POST /2/media/upload/initialize' };
  if (m === 'GET' && path === '/2/media/upload') return { route: 'GET /2/media/upload' };
  const media = /^\/2\/media\/upload\/([^/]+)\/(append|finalize)$/.exec(path);
  if (media?.[1] && m === 'POST') {
    const id = decodeURIComponent(media[1]);
    return media[2] === 'append'
      ? { route: 'POST /2/media/upload/:id/append', id }
      : { route: 'POST /2/media/upload/:id/finalize', id };
  }
  const tweet = /^\/2\/tweets\/([^/]+)$/.exec(path);
  if (tweet?.[1] && m === 'DELETE')
    return { route: 'DELETE /2/tweets/:id', id: decodeURIComponent(tweet[1]) };
  if (tweet?.[1] && m === 'GET') return { route: 'GET /2/tweets/:id', id: decodeURIComponent(tweet[1]) };
  const timeline = /^\/2\/users\/([^/]+)\/tweets$/.exec(path);
  if (timeline?.[1] && m === 'GET')
    return { route: 'GET /2/users/:id/tweets', id: decodeURIComponent(timeline[1]) };
  return undefined;
}

function limitHeaders(prefix: string, state: WindowState): Record<string, string> {
  return {
    [`${prefix}-limit`]: String(state.limit),
    [`${prefix}-remaining`]: String(state.remaining),
    [`${prefix}-reset`]: String(state.resetSec),
  };
}

/**
 * The X API v2 surface: authenticates, applies the per-user 15-minute window (and for `POST /2/tweets` the
 * 24-hour user cap), then dispatches. Every authenticated answer carries the rate-limit headers.
 */
export class XApi {
  readonly #verifier: OAuth1Verifier;
  readonly #windows = new RateWindows();
  #random: () => number;

  constructor(
    private readonly settings: ApiSettings,
    private readonly store: TweetStore,
    private readonly emit: (event: XStandInEvent) => void,
    private readonly media: MediaUploads,
  ) {
    this.#verifier = new OAuth1Verifier(settings.accounts, settings.verifySignatures);
    this.#random = seededRandom(settings.seed);
  }

  handle(request: ApiRequest, match: RouteMatch): StandInReply {
    const formParams = request.contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')
      ? new URLSearchParams(request.body.toString('utf8'))
      : undefined;
    const verdict = this.#verifier.verify({ ...request, ...(formParams ? { formParams } : {}) });
    if (!verdict.ok) return unauthorized();
    const account = verdict.account;
    // Out of credits or at the spending limit, X refuses before anything else is counted or done.
    const unpaid = this.settings.ledger.refusal(account);
    if (unpaid) return unpaid;

    const { windowMs, perDay } = this.settings;
    const now = this.settings.now();
    const limit = this.#windowLimit(match);
    const windowKey = `${account.userId} ${match.route}`;
    const dayKey = `${account.userId} day`;
    const countsDaily = match.route === 'POST /2/tweets';

    let window = this.#windows.peek(windowKey, limit, windowMs, now);
    let day = countsDaily ? this.#windows.peek(dayKey, perDay, DAY_MS, now) : undefined;
    const headers = (): Record<string, string> => ({
      ...limitHeaders('x-rate-limit', window),
      ...(day ? limitHeaders('x-user-limit-24hour', day) : {}),
    });
    if (window.remaining === 0 || day?.remaining === 0) return withHeaders(tooManyRequests(), headers());

    window = this.#windows.consume(windowKey, limit, windowMs, now);
    if (countsDaily) day = this.#windows.consume(dayKey, perDay, DAY_MS, now);
    const reply = this.#dispatch(request, match, account);
    if (reply.status < 300) this.#bill(request, match, account, reply);
    return withHeaders(reply, headers());
  }

  /** Bills a successful answer as X does: writes per request, reads per post returned. */
  #bill(request: ApiRequest, match: RouteMatch, account: XStandInAccount, reply: StandInReply): void {
    const data = (reply.body as { data?: unknown } | undefined)?.data;
    const ids = (Array.isArray(data) ? data : data ? [data] : []).map((t) =>
      String((t as { id?: unknown }).id),
    );
    const what = ((): Parameters<CreditLedger['bill']>[1] | undefined => {
      switch (match.route) {
        case 'POST /2/tweets':
          return { create: (JSON.parse(request.body.toString('utf8')) as { text?: string }).text ?? '' };
        case 'DELETE /2/tweets/:id':
          return { delete: true };
        case 'GET /2/users/me':
          return { userRead: true };
        case 'GET /2/tweets/:id':
          return { read: ids, own: false };
        case 'GET /2/users/:id/tweets':
          return { read: ids, own: match.id === account.userId };
        default:
          // Media uploads are not on X's price list.
          return undefined;
      }
    })();
    if (what) this.settings.ledger.bill(match.route, what);
  }

  /** Rate-limit headers for a simulated 429: the current windows, shown as exhausted. */
  exhaustedHeaders(match: RouteMatch): Record<string, string> {
    const now = this.settings.now();
    const resetSec = Math.ceil((now + this.settings.windowMs) / 1000);
    return limitHeaders('x-rate-limit', { limit: this.#windowLimit(match), remaining: 0, resetSec });
  }

  /** Each route has its own 15-minute window per user; posting and deleting have their own sizes. */
  #windowLimit(match: RouteMatch): number {
    if (match.route === 'POST /2/tweets') return this.settings.perWindow;
    if (match.route === 'DELETE /2/tweets/:id') return this.settings.deletePerWindow;
    return this.settings.readPerWindow;
  }

  reset(): void {
    this.#windows.reset();
    this.#verifier.reset();
    this.#random = seededRandom(this.settings.seed);
  }

  #returnedText(
    account: XStandInAccount,
  ): (
    submitted: string,
    id: string,
    mediaIds: readonly string[] | undefined,
  ) => Pick<XStandInTweet, 'returned_text' | 'urls'> {
    return (submitted, id, mediaIds) => {
      const firstMedia = mediaIds?.[0];
      const media = firstMedia
        ? {
            mediaKey: photoMediaKey(firstMedia),
            expandedUrl: `https://x.com/${account.username}/status/${id}/photo/1`,
          }
        : undefined;
      const { text, urls } = returnedText(submitted, () => shortCode(this.#random), media);
      return { returned_text: text, urls };
    };
  }

  #dispatch(request: ApiRequest, match: RouteMatch, account: XStandInAccount): StandInReply {
    const queryIndex = request.target.indexOf('?');
    const query = new URLSearchParams(queryIndex === -1 ? '' : request.target.slice(queryIndex + 1));
    switch (match.route) {
      case 'POST /2/tweets':
        return createTweet(account, request.contentType, request.body, {
          store: this.store,
          now: this.settings.now,
          duplicateWindowMs: this.settings.duplicateWindowMs,
          refuseMedia: (ids) => this.media.refuseAttachment(account, ids),
          repliesRestricted: this.settings.repliesRestricted,
          emitCreated: (tweet) => this.emit({ type: 'tweet-created', tweet }),
          ...(this.settings.textFidelity ? { returnedText: this.#returnedText(account) } : {}),
        });
      case 'DELETE /2/tweets/:id':
        return deleteTweet(account, match.id ?? '', this.store, (tweet) =>
          this.emit({ type: 'tweet-deleted', tweet }),
        );
      case 'GET /2/tweets/:id':
        return getTweet(match.id ?? '', query, this.store);
      case 'GET /2/users/me':
        return getMe(account, query);
      case 'POST /2/media/upload/initialize':
        return this.media.initialize(account, request.contentType, request.body);
      case 'POST /2/media/upload/:id/append':
        return this.media.append(account, match.id ?? '', request.contentType, request.body);
      case 'POST /2/media/upload/:id/finalize':
        return this.media.finalize(account, match.id ?? '');
      case 'GET /2/media/upload':
        return this.media.status(account, query);
      case 'GET /2/users/:id/tweets': {
        const userId = match.id ?? '';
        const known = this.settings.accounts.some((a) => a.userId === userId);
        return userTweets(userId, query, this.store, known);
      }
    }
  }
}
