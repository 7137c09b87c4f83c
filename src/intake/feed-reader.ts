import { createHash } from 'node:crypto';
import { canonicalUrl } from '../domain/story.js';
import { fetchBounded } from '../net/bounded-fetch.js';
import { decodeDocument } from '../net/document-text.js';
import { FetchError } from '../net/fetch-error.js';
import type { Logger } from '../util/logger.js';
import { type ArticleInfo, extractArticle } from './article-extract.js';
import { type FeedItem, FeedParseError, type ParsedFeed, parseFeedDocument } from './feed-items.js';
import { fetchImage } from './image-fetch.js';
import {
  createRelevanceScorer,
  describeRelevance,
  filterRejection,
  type RelevanceScorer,
} from './relevance.js';
import type { SourceConfig, SourcesConfig } from './sources-schema.js';

/** A feed item made ready to admit: text from the feed or its article page, on the beat, image checked. */
export interface FeedCandidate {
  readonly item: FeedItem;
  /** The key the item is remembered by in its source ({@link itemKey}). */
  readonly key: string;
  readonly title: string;
  readonly body: string;
  readonly url?: string;
  /** Canonical forms of the item's link and of the article's own canonical link, for dedup. */
  readonly canonicalUrls: readonly string[];
  readonly publishedAt?: string;
  /** The image, when it could be fetched and is one Telegram and X take. */
  readonly imageUrl?: string;
  /** The item or its page named an image that could not be fetched or was refused. */
  readonly imageLeftOut: boolean;
  /** One line: the relevance score and the words that decided it. */
  readonly relevance: string;
}

/** HTTP validators of a feed's last successful fetch, sent back to make the next one conditional. */
export interface FeedValidators {
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
}

/**
 * What reading a feed gave: `not-modified` (the validators still hold), `read` (the parsed feed and its new
 * validators), or `failed` (the source's own problem: unreachable, too big, not a feed).
 */
export type FeedReading =
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'read'; readonly feed: ParsedFeed; readonly validators: FeedValidators }
  | { readonly kind: 'failed'; readonly error: string };

/** What the feed reader needs. */
export interface FeedReaderOptions {
  /** Fetch limits (timeouts, byte caps, redirects, article fetches per poll) and the relevance dictionary. */
  readonly config: Pick<SourcesConfig, 'fetch' | 'relevance'>;
  readonly logger: Logger;
  /** Epoch ms; dates in a feed are read against it. */
  readonly now: () => number;
  /** Fetch implementation for feeds, pages and images; default the global fetch. */
  readonly fetchImpl?: typeof fetch;
  /**
   * Fetches the links found in feed items (article pages, images), e.g. connecting to public addresses
   * only; the configured feed URLs themselves are trusted and fetched with `fetchImpl`. Default `fetchImpl`.
   */
  readonly linkFetch?: typeof fetch;
  /** Aborts every fetch in flight (shutdown). */
  readonly signal?: AbortSignal;
}

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1';
const MAX_ARTICLE_CHARS = 20_000;

/** How many article pages one poll may still fetch. */
export class ArticleBudget {
  constructor(private left: number) {}

  /** True (and one fewer left) when a page may be fetched. */
  take(): boolean {
    if (this.left <= 0) return false;
    this.left--;
    return true;
  }
}

/**
 * Sources to candidates: fetches a feed (conditional, bounded) and parses it; for each item worth it,
 * fetches the article page when the feed only has a summary, scores relevance, and checks the image.
 * Knows nothing of stories already queued (that is {@link StoryAdmission}'s part).
 */
export class FeedReader {
  readonly #scorer: RelevanceScorer;

  constructor(private readonly options: FeedReaderOptions) {
    this.#scorer = createRelevanceScorer(options.config.relevance);
  }

  /** Reads the source's feed; throws only for what is not the source's fault. */
  async read(source: SourceConfig, validators: FeedValidators): Promise<FeedReading> {
    const limits = this.options.config.fetch;
    try {
      const fetched = await fetchBounded(source.url, {
        timeoutMs: limits.timeoutMs,
        maxBytes: limits.maxFeedBytes,
        maxRedirects: limits.maxRedirects,
        accept: FEED_ACCEPT,
        userAgent: limits.userAgent,
        ...(validators.etag ? { etag: validators.etag } : {}),
        ...(validators.lastModified ? { lastModified: validators.lastModified } : {}),
        ...this.#io(),
      });
      if (fetched.kind === 'not-modified') return { kind: 'not-modified' };
      const feed = parseFeedDocument(decodeDocument(fetched.body, fetched.contentType, 'xml'), {
        feedUrl: fetched.url,
        nowMs: this.options.now(),
        maxItems: source.maxItemsPerPoll,
      });
      const log = this.options.logger.child({ source: source.id });
      for (const note of feed.notes) log.warn({ note }, `intake: ${note}`);
      return { kind: 'read', feed, validators: { etag: fetched.etag, lastModified: fetched.lastModified } };
    } catch (err) {
      if (!(err instanceof FetchError) && !(err instanceof FeedParseError)) throw err;
      return { kind: 'failed', error: err.message };
    }
  }

  /** The article pages one poll may fetch. */
  articleBudget(): ArticleBudget {
    return new ArticleBudget(this.options.config.fetch.maxArticleFetchesPerPoll);
  }

  /**
   * Makes an item a candidate: its article page fetched when the feed only has a summary (and `articles`
   * allows), title and body settled, relevance scored against the source's threshold, image checked.
   * `why` says what made it unusable or off the beat.
   */
  async candidate(
    source: SourceConfig,
    item: FeedItem,
    key: string,
    articles: ArticleBudget,
  ): Promise<{ ok: true; value: FeedCandidate } | { ok: false; why: string }> {
    const log = this.options.logger.child({ source: source.id });
    let article: ArticleInfo | undefined;
    if (item.url && item.text.length < source.fetchArticleBelowChars && articles.take()) {
      article = await this.#article(item.url, log);
    }
    let body = item.text;
    if (article?.text && article.text.length > body.length) body = clip(article.text, MAX_ARTICLE_CHARS);
    else if (body === '' && article?.description) body = article.description;
    let title = item.title || article?.title || '';
    if (title === '') title = firstLine(body);
    if (title === '') return { ok: false, why: 'no title and no text' };
    if (body === '' && !item.url) return { ok: false, why: 'no text and no link' };
    const relevance = this.#scorer.score({ title, body });
    const line = describeRelevance(relevance, source.threshold);
    if (relevance.score < source.threshold) return { ok: false, why: `off the beat: ${line}` };
    const urls = [item.url, article?.canonicalUrl]
      .filter((u): u is string => u !== undefined)
      .map(canonicalUrl);
    const publishedAt = item.publishedAt ?? article?.publishedAt;
    const namedImage = item.imageUrl ?? article?.imageUrl;
    const imageUrl = namedImage ? await this.#checkedImage(namedImage, log) : undefined;
    return {
      ok: true,
      value: {
        item,
        key,
        title: title.slice(0, 400),
        body,
        canonicalUrls: [...new Set(urls)],
        relevance: line,
        imageLeftOut: namedImage !== undefined && imageUrl === undefined,
        ...(item.url ? { url: item.url } : {}),
        ...(publishedAt ? { publishedAt } : {}),
        ...(imageUrl ? { imageUrl } : {}),
      },
    };
  }

  async #article(url: string, log: Logger): Promise<ArticleInfo | undefined> {
    const limits = this.options.config.fetch;
    try {
      const page = await fetchBounded(url, {
        timeoutMs: limits.timeoutMs,
        maxBytes: limits.maxPageBytes,
        maxRedirects: limits.maxRedirects,
        accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
        userAgent: limits.userAgent,
        ...this.#io(),
        ...this.#linkFetch(),
      });
      if (page.kind !== 'ok') return undefined;
      if (page.contentType && !/html|xml/i.test(page.contentType)) {
        log.info(
          { url, contentType: page.contentType },
          'intake: article link is not a page; keeping the summary',
        );
        return undefined;
      }
      return extractArticle(decodeDocument(page.body, page.contentType, 'html'), page.url);
    } catch (err) {
      if (!(err instanceof FetchError)) throw err;
      log.info({ url, err: err.message }, 'intake: article not fetched; keeping the summary');
      return undefined;
    }
  }

  /** The image URL when it can be fetched and is an image Telegram and X take; otherwise undefined. */
  async #checkedImage(url: string, log: Logger): Promise<string | undefined> {
    try {
      await fetchImage(url, {
        timeoutMs: this.options.config.fetch.timeoutMs,
        ...this.#io(),
        ...this.#linkFetch(),
      });
      return url;
    } catch (err) {
      log.info({ url, err: (err as Error).message }, 'intake: story image left out');
      return undefined;
    }
  }

  /** The fetch options for a link found in a feed item (not the feed itself). */
  #linkFetch(): { fetchImpl?: typeof fetch } {
    return this.options.linkFetch ? { fetchImpl: this.options.linkFetch } : {};
  }

  #io(): { signal?: AbortSignal; fetchImpl?: typeof fetch } {
    return {
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      ...(this.options.fetchImpl ? { fetchImpl: this.options.fetchImpl } : {}),
    };
  }
}

/**
 * Why an item is skipped before anything is fetched for it (too old, undated on the source's first poll,
 * caught by the source's filters); undefined when it goes on.
 */
export function screenItem(
  source: SourceConfig,
  item: FeedItem,
  at: { readonly nowMs: number; readonly firstPoll: boolean },
): string | undefined {
  const publishedMs = item.publishedAt ? Date.parse(item.publishedAt) : undefined;
  if (publishedMs !== undefined && publishedMs < at.nowMs - source.maxAgeHours * 3_600_000) {
    return `older than ${source.maxAgeHours} h`;
  }
  if (publishedMs === undefined && at.firstPoll) {
    return 'undated item on the first poll of the source: taken as backlog';
  }
  return filterRejection(item, source.filters);
}

/** The key an item is remembered by in its source: GUID, else URL, else a hash of title and text. */
export function itemKey(item: FeedItem): string {
  if (item.guid) return `g:${item.guid.slice(0, 300)}`;
  if (item.url) return `u:${canonicalUrl(item.url).slice(0, 300)}`;
  return `h:${createHash('sha1').update(`${item.title}\n${item.text}`).digest('hex')}`;
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n\n', max);
  return text.slice(0, cut > max / 2 ? cut : max).trim();
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]?.trim() ?? '';
  return line.length > 140
    ? `${line.slice(0, line.lastIndexOf(' ', 137) > 40 ? line.lastIndexOf(' ', 137) : 137)}…`
    : line;
}
