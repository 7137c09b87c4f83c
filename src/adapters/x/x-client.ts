import http from 'node:http';
import { type ITwitterApiClientPlugin, TwitterApi } from 'twitter-api-v2';
import type { XRateLimitSnapshot } from '../../ports/x-port.js';
import { toRateLimitSnapshot } from './x-rate-limit.js';

/** The public X API. */
export const X_PUBLIC_API_ROOT = 'https://api.x.com';

const X_HOSTS = new Set(['api.x.com', 'api.twitter.com', 'upload.x.com', 'upload.twitter.com']);

/** How to reach X as one user (OAuth 1.0a user context). */
export interface XClientOptions {
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly accessSecret: string;
  /**
   * Where requests go. Default {@link X_PUBLIC_API_ROOT}. Any other root (e.g. a stand-in at
   * `http://127.0.0.1:PORT`) receives every X request with its path and query kept.
   */
  readonly apiRoot?: string;
  /** Socket inactivity timeout per request, in ms. Default 30 000. */
  readonly timeoutMs?: number;
  /**
   * Called with the rate-limit headers of every tweet-creating response (success or error) that
   * carries them. Other endpoints (timeline reads, media upload) have budgets of their own.
   */
  readonly onRateLimit?: (snapshot: XRateLimitSnapshot) => void;
}

// A call's abort signal reaches its request through this header, which the plugin takes off before the
// request leaves (headers are outside the OAuth 1.0a signature). Not AsyncLocalStorage: once used, its
// promise hooks tax every promise in the process, publish path included.
const SIGNAL_HEADER = 'x-regwire-abort-signal';
const signals = new Map<string, AbortSignal>();
let lastSignalId = 0;

/** The request arguments a twitter-api-v2 call takes to carry `signal` to its requests. */
export interface XRequestArgs {
  readonly headers?: Record<string, string>;
}

const createsTweet = (request: { method: string; url: URL }): boolean =>
  request.method.toUpperCase() === 'POST' && /\/2\/tweets\/?$/.test(request.url.pathname);

/**
 * Runs `call` so that the X requests it makes with the arguments it is given are aborted when `signal`
 * fires (calls of twitter-api-v2 that take request arguments: `get`, `post`, `delete`).
 */
export async function withRequestSignal<T>(
  signal: AbortSignal | undefined,
  call: (args: XRequestArgs) => Promise<T>,
): Promise<T> {
  if (!signal) return call({});
  const id = String(++lastSignalId);
  signals.set(id, signal);
  try {
    return await call({ headers: { [SIGNAL_HEADER]: id } });
  } finally {
    signals.delete(id);
  }
}

/**
 * Builds a twitter-api-v2 client. twitter-api-v2 has no base-URL setting, so a plugin rewrites the URL in
 * `onBeforeRequestConfig`. That hook runs before the library computes the OAuth 1.0a signature, so the
 * signature covers the URL actually requested, and a server at `apiRoot` can verify it as received.
 */
export function createXClient(options: XClientOptions): TwitterApi {
  const root = new URL(options.apiRoot ?? X_PUBLIC_API_ROOT);
  const rewrite = root.origin !== X_PUBLIC_API_ROOT || root.pathname !== '/';
  const rootPath = root.pathname.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const report = (snapshot: XRateLimitSnapshot | undefined) => {
    if (snapshot && options.onRateLimit) options.onRateLimit(snapshot);
  };

  const plugin: ITwitterApiClientPlugin = {
    onBeforeRequestConfig({ params }) {
      params.timeout ??= timeoutMs;
      if (!rewrite) return;
      const url = new URL(params.url.startsWith('http') ? params.url : `https://${params.url}`);
      if (!X_HOSTS.has(url.hostname)) return;
      params.url = `${root.origin}${rootPath}${url.pathname}${url.search}`;
    },
    onBeforeRequest({ requestOptions }) {
      const headers = requestOptions.headers as Record<string, unknown> | undefined;
      const id = headers?.[SIGNAL_HEADER];
      if (typeof id !== 'string') return;
      delete headers?.[SIGNAL_HEADER];
      const signal = signals.get(id);
      if (signal) requestOptions.signal = signal;
    },
    onAfterRequest({ computedParams, response }) {
      if (createsTweet(computedParams)) report(toRateLimitSnapshot(response.rateLimit));
    },
    onResponseError({ computedParams, error }) {
      if (createsTweet(computedParams)) report(toRateLimitSnapshot(error.rateLimit));
    },
  };

  return new TwitterApi(
    {
      appKey: options.appKey,
      appSecret: options.appSecret,
      accessToken: options.accessToken,
      accessSecret: options.accessSecret,
    },
    {
      plugins: [plugin],
      // The library always calls https.request; it accepts http: URLs only with an http agent.
      ...(root.protocol === 'http:' ? { httpAgent: new http.Agent() } : {}),
    },
  );
}
