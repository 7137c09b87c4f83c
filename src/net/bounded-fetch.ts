import { type AddressGuard, blockedCause } from './address-guard.js';
import { FetchError } from './fetch-error.js';

/** Limits and conditions of one bounded GET. */
export interface BoundedFetchOptions {
  /** Whole-request budget (connect, redirects and body), in ms. */
  readonly timeoutMs: number;
  /** The body is abandoned once it passes this many bytes. */
  readonly maxBytes: number;
  /** Redirect hops followed; one more is an error. */
  readonly maxRedirects: number;
  /** Sent as `Accept`. */
  readonly accept?: string;
  readonly userAgent?: string;
  /** Conditional request validators from the last successful fetch. */
  readonly etag?: string;
  readonly lastModified?: string;
  /** Cancels the request from outside (shutdown). */
  readonly signal?: AbortSignal;
  /** The fetch implementation; default the global (undici) fetch. */
  readonly fetchImpl?: typeof fetch;
  /** Checked before the request and before every redirect hop (e.g. public addresses only). */
  readonly guard?: AddressGuard;
}

/** What a bounded GET brought back. */
export type BoundedFetchResult =
  | { readonly kind: 'not-modified'; readonly url: string }
  | {
      readonly kind: 'ok';
      /** The final URL after redirects. */
      readonly url: string;
      readonly status: number;
      readonly body: Buffer;
      readonly contentType: string | undefined;
      readonly etag: string | undefined;
      readonly lastModified: string | undefined;
      readonly redirects: number;
    };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `url` with a hard time budget, a byte cap enforced while the body streams in (a 50 MB answer is cut
 * off at `maxBytes`, never buffered whole), redirects followed by hand up to `maxRedirects` (http and https
 * only), `options.guard` checked before each request, and `If-None-Match` / `If-Modified-Since` when
 * validators are given. Throws {@link FetchError}.
 */
export async function fetchBounded(url: string, options: BoundedFetchOptions): Promise<BoundedFetchResult> {
  const doFetch = options.fetchImpl ?? fetch;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let current = checkedUrl(url, url);
  let redirects = 0;
  const fail = (err: unknown, at: string): FetchError => {
    if (err instanceof FetchError) return err;
    const blocked = blockedCause(err);
    if (blocked) return new FetchError('blocked-address', at, `${at}: ${blocked.message}`);
    if (timeout.aborted)
      return new FetchError('timeout', at, `${at}: no complete answer within ${options.timeoutMs} ms`);
    if (options.signal?.aborted) return new FetchError('aborted', at, `${at}: fetch cancelled`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (err as Error).message;
    return new FetchError('network', at, `${at}: network error (${detail})`, { cause: err });
  };

  for (;;) {
    let response: Response;
    try {
      await options.guard?.(new URL(current));
      response = await doFetch(current, {
        method: 'GET',
        redirect: 'manual',
        signal,
        headers: {
          ...(options.accept ? { accept: options.accept } : {}),
          ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
          ...(options.etag ? { 'if-none-match': options.etag } : {}),
          ...(options.lastModified ? { 'if-modified-since': options.lastModified } : {}),
        },
      });
    } catch (err) {
      throw fail(err, current);
    }
    if (REDIRECTS.has(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      if (!location) {
        throw new FetchError('http-status', current, `${current}: HTTP ${response.status} without Location`, {
          status: response.status,
        });
      }
      if (redirects >= options.maxRedirects) {
        throw new FetchError(
          'too-many-redirects',
          current,
          `${url}: more than ${options.maxRedirects} redirects (last to ${location})`,
        );
      }
      redirects++;
      current = checkedUrl(new URL(location, current).toString(), url);
      continue;
    }
    if (response.status === 304) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'not-modified', url: current };
    }
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel().catch(() => undefined);
      throw new FetchError('http-status', current, `${current}: HTTP ${response.status}`, {
        status: response.status,
      });
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(current, options.maxBytes, `declares ${declared} bytes`);
    }
    let body: Buffer;
    try {
      body = await readCapped(response, options.maxBytes, current);
    } catch (err) {
      throw fail(err, current);
    }
    return {
      kind: 'ok',
      url: current,
      status: response.status,
      body,
      contentType: response.headers.get('content-type') ?? undefined,
      etag: response.headers.get('etag') ?? undefined,
      lastModified: response.headers.get('last-modified') ?? undefined,
      redirects,
    };
  }
}

function checkedUrl(candidate: string, original: string): string {
  let u: URL;
  try {
    u = new URL(candidate);
  } catch {
    throw new FetchError('bad-url', original, `${original}: not a valid URL (${candidate})`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new FetchError('bad-url', original, `${original}: only http and https are fetched (${u.protocol})`);
  }
  return u.toString();
}

function tooLarge(url: string, maxBytes: number, detail: string): FetchError {
  return new FetchError('too-large', url, `${url}: larger than ${maxBytes} bytes (${detail}); ignored`);
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Stop the transfer now: the rest of a huge answer is never read off the socket.
      await reader.cancel().catch(() => undefined);
      throw tooLarge(url, maxBytes, 'cut off while reading');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
