import { blockedCause } from '../net/address-guard.js';
import { decodeDocument } from '../net/document-text.js';
import { type PageMetadata, parseHtmlMetadata } from './html-metadata.js';
import { isWebUrl } from './story-message.js';

export type { PageMetadata } from './html-metadata.js';

/** Fetches a page's metadata for `/queue <url>`; rejects with {@link PageFetchError} when it cannot. */
export type FetchPage = (url: string, signal: AbortSignal) => Promise<PageMetadata>;

/** Why a page could not be read, in one line for the editor. */
export class PageFetchError extends Error {
  override readonly name = 'PageFetchError';
  readonly code = 'PAGE_FETCH_FAILED';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bounds of {@link createPageFetcher}'s fetch: time, size, redirects, and how it fetches. */
export interface PageFetcherOptions {
  /** Whole fetch, redirects included. Default 8 000 ms. */
  readonly timeoutMs?: number;
  /** Bytes of the body read at most; the rest is not downloaded. Default 2 MB. */
  readonly maxBytes?: number;
  /** Default 5. */
  readonly maxRedirects?: number;
  /** Sent as `user-agent`. */
  readonly userAgent?: string;
  /** The fetch implementation (e.g. one that connects to public addresses only); default the global fetch. */
  readonly fetchImpl?: typeof fetch;
}

/**
 * A {@link FetchPage} over Node's fetch: bounded time, size and redirects, only http(s), only HTML. The
 * body is read up to `maxBytes` (metadata lives in the head) and parsed with {@link parseHtmlMetadata}.
 */
export function createPageFetcher(options: PageFetcherOptions = {}): FetchPage {
  const timeoutMs = options.timeoutMs ?? 8_000;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const userAgent = options.userAgent ?? 'regwire-editor-bot/1 (+metadata preview)';

  return async (startUrl, signal) => {
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    let url = startUrl;
    try {
      for (let hop = 0; ; hop++) {
        const parsed = new URL(url);
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
          throw new PageFetchError(`the link leads to ${parsed.protocol} which is not a web page`);
        }
        const response = await (options.fetchImpl ?? fetch)(url, {
          redirect: 'manual',
          signal: bounded,
          headers: { 'user-agent': userAgent, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' },
        });
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          await response.body?.cancel();
          if (hop >= maxRedirects) throw new PageFetchError(`more than ${maxRedirects} redirects`);
          url = new URL(location, url).toString();
          continue;
        }
        if (!response.ok) {
          await response.body?.cancel();
          throw new PageFetchError(`the site answered ${response.status} ${response.statusText}`.trim());
        }
        const type = response.headers.get('content-type') ?? '';
        if (type !== '' && !/html/i.test(type)) {
          await response.body?.cancel();
          throw new PageFetchError(`the link is not a web page (${type.split(';')[0]})`);
        }
        const html = decodeDocument(await readBounded(response, maxBytes), type, 'html');
        return parseHtmlMetadata(html, url);
      }
    } catch (error) {
      if (error instanceof PageFetchError) throw error;
      const blocked = blockedCause(error);
      if (blocked) throw new PageFetchError(blocked.message, { cause: error });
      if (bounded.aborted && !signal.aborted) {
        throw new PageFetchError(`the site did not answer within ${timeoutMs / 1000} s`, {
          cause: error,
        });
      }
      throw new PageFetchError('the site could not be reached', { cause: error });
    }
  };
}

/** The body's bytes up to `maxBytes` (metadata lives in the head; the rest is never downloaded). */
async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - bytes;
    const chunk = value.byteLength > room ? value.subarray(0, room) : value;
    bytes += chunk.byteLength;
    chunks.push(chunk);
    if (bytes >= maxBytes) {
      // Enough for the metadata; stop the download rather than buffer a huge page.
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks, bytes);
}

/** The story fields a fetched page gives: title, the description or lead as body, image and time. */
export function storyInputFromPage(url: string, page: PageMetadata): Record<string, unknown> | undefined {
  if (!page.title) return undefined;
  const body = page.description ?? page.lead ?? '';
  return {
    title: page.title,
    body,
    url,
    ...(page.imageUrl && isWebUrl(page.imageUrl) ? { imageUrl: page.imageUrl } : {}),
    ...(page.publishedAt ? { publishedAt: page.publishedAt } : {}),
  };
}
