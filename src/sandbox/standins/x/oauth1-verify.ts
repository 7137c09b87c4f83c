import { createHmac, timingSafeEqual } from 'node:crypto';
import type { XStandInAccount } from './x-standin-types.js';

/** What the verifier needs from an incoming request. */
export interface SignedRequest {
  readonly method: string;
  /** `Host` header as received. */
  readonly host: string;
  /** Request target as received: path plus optional `?query`. */
  readonly target: string;
  readonly authorization: string | undefined;
  /** Parameters of an `application/x-www-form-urlencoded` body; JSON bodies are not signed. */
  readonly formParams?: URLSearchParams;
}

export type OAuthVerdict =
  | { readonly ok: true; readonly account: XStandInAccount }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'malformed' | 'unknown-keys' | 'bad-signature' | 'replayed-nonce';
    };

const REQUIRED = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_nonce',
  'oauth_timestamp',
];

/** RFC 3986 percent-encoding as OAuth 1.0a (RFC 5849 §3.6) requires. */
export function oauthPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Parses `Authorization: OAuth k="v", ...` into decoded pairs, or undefined when it is not that shape. */
export function parseOAuthHeader(header: string): Map<string, string> | undefined {
  const match = /^OAuth\s+(.+)$/i.exec(header.trim());
  if (!match?.[1]) return undefined;
  const params = new Map<string, string>();
  for (const part of match[1].split(',')) {
    const pair = /^\s*([A-Za-z0-9_.~%-]+)="([^"]*)"\s*$/.exec(part);
    if (!pair?.[1] || pair[2] === undefined) return undefined;
    try {
      params.set(decodeURIComponent(pair[1]), decodeURIComponent(pair[2]));
    } catch {
      return undefined;
    }
  }
  return params;
}

/** The RFC 5849 §3.4.1 signature base string. */
export function signatureBaseString(
  method: string,
  baseUri: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const normalized = params
    .map(([k, v]) => [oauthPercentEncode(k), oauthPercentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}&${oauthPercentEncode(baseUri)}&${oauthPercentEncode(normalized)}`;
}

/** HMAC-SHA1 signature, base64, keyed with the consumer and token secrets. */
export function hmacSha1Signature(base: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${oauthPercentEncode(consumerSecret)}&${oauthPercentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(base).digest('base64');
}

/**
 * Verifies OAuth 1.0a user-context requests against known accounts. The signature is checked over the URL
 * this server actually received (scheme `http`, the `Host` header, the raw path) — what a self-hosted
 * X-compatible server can see — so a client that signed another URL is refused.
 */
export class OAuth1Verifier {
  // Real X refuses a reused nonce; bounded so a long run does not grow without limit.
  #seenNonces = new Set<string>();

  constructor(
    private readonly accounts: readonly XStandInAccount[],
    private readonly verifySignatures: boolean,
  ) {}

  verify(request: SignedRequest): OAuthVerdict {
    if (!request.authorization) return { ok: false, reason: 'missing' };
    const oauth = parseOAuthHeader(request.authorization);
    if (!oauth || REQUIRED.some((k) => !oauth.get(k)) || !oauth.get('oauth_signature')) {
      return { ok: false, reason: 'malformed' };
    }
    if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1') return { ok: false, reason: 'malformed' };
    const version = oauth.get('oauth_version');
    if (version !== undefined && version !== '1.0') return { ok: false, reason: 'malformed' };

    const account = this.accounts.find(
      (a) => a.appKey === oauth.get('oauth_consumer_key') && a.accessToken === oauth.get('oauth_token'),
    );
    if (!account) return { ok: false, reason: 'unknown-keys' };
    if (!this.verifySignatures) return { ok: true, account };

    const queryIndex = request.target.indexOf('?');
    const path = queryIndex === -1 ? request.target : request.target.slice(0, queryIndex);
    const query = new URLSearchParams(queryIndex === -1 ? '' : request.target.slice(queryIndex + 1));
    const host = request.host.toLowerCase().replace(/:80$/, '');
    const params: Array<readonly [string, string]> = [];
    for (const [k, v] of oauth) if (k !== 'oauth_signature' && k !== 'realm') params.push([k, v]);
    for (const pair of query) params.push(pair);
    for (const pair of request.formParams ?? []) params.push(pair);

    const expected = hmacSha1Signature(
      signatureBaseString(request.method, `http://${host}${path}`, params),
      account.appSecret,
      account.accessSecret,
    );
    const given = Buffer.from(oauth.get('oauth_signature') ?? '');
    const wanted = Buffer.from(expected);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      return { ok: false, reason: 'bad-signature' };
    }

    const nonceKey = `${account.appKey}:${oauth.get('oauth_nonce')}:${oauth.get('oauth_timestamp')}`;
    if (this.#seenNonces.has(nonceKey)) return { ok: false, reason: 'replayed-nonce' };
    if (this.#seenNonces.size >= 100_000) this.#seenNonces.clear();
    this.#seenNonces.add(nonceKey);
    return { ok: true, account };
  }

  reset(): void {
    this.#seenNonces.clear();
  }
}
