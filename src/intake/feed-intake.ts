import { createHash } from 'node:crypto';
import type { Actor } from '../domain/history.js';
import { canonicalUrl } from '../domain/story.js';
import { fetchBounded } from '../net/bounded-fetch.js';
import { decodeDocument } from '../net/document-text.js';
import { FetchError } from '../net/fetch-error.js';
import type { Desk } from '../ports/desk.js';
import type { IntakeBus, IntakeEvent } from '../ports/intake-bus.js';
import type { StoryStore } from '../ports/story-store.js';
import type { Logger } from '../util/logger.js';
import { type ArticleInfo, extractArticle } from './article-extract.js';
import { type FeedItem, FeedParseError, type ParsedFeed, parseFeedDocument } from './feed-items.js';
import { fetchImage } from './image-fetch.js';
import type { IntakeStore } from './intake-store.js';
import {
  createRelevanceScorer,
  describeRelevance,
  filterRejection,
  type RelevanceScorer,
} from './relevance.js';
import type { SourceConfig, SourcesConfig } from './sources-schema.js';
import { type CommonVocabulary, commonVocabulary, TitleIndex, titleTokens } from './title-similarity.js';

/** What feed intake needs from the rest of regwire. */
export interface FeedIntakeDeps {
  readonly config: SourcesConfig;
  readonly desk: Pick<Desk, 'createDraft' | 'schedule'>;
  readonly store: Pick<StoryStore, 'appendHistory' | 'recent' | 'get'>;
  readonly state: IntakeStore;
  readonly events: Pick<IntakeBus, 'publish'>;
  readonly logger: Logger;
  readonly now: () => number;
  /** Fetch implementation for feeds, pages and images; default the global fetch. */
  readonly fetchImpl?: typeof fetch;
  /**
   * Fetches the links found in feed items (article pages, images), e.g. connecting to public addresses
   * only; the configured feed URLs themselves are trusted and fetched with `fetchImpl`. Default `fetchImpl`.
   */
  readonly linkFetch?: typeof fetch;
  readonly signal?: AbortSignal;
}

/** What one poll of one source did. */
export interface PollReport {
  readonly sourceId: string;
  /** `busy`: another poll of this source was still running, so this one did nothing. */
  readonly outcome: 'ok' | 'not-modified' | 'backing-off' | 'failed' | 'busy';
  /** Stories drafted (review) or scheduled (auto). */
  readonly drafted: readonly string[];
  /** Items linked to an earlier story: [item title, first story id]. */
  readonly duplicates: readonly (readonly [string, string])[];
  /** Items skipped as old, filtered, off-beat or unusable. */
  readonly skipped: number;
  /** Set when the poll failed. */
  readonly error?: string;
}

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1';
const MAX_ARTICLE_CHARS = 20_000;
const EDITOR_QUEUE_LOOKBACK = 300;

interface Candidate {
  readonly item: FeedItem;
  readonly key: string;
  readonly title: string;
  readonly body: string;
  readonly url?: string;
  readonly canonicalUrls: readonly string[];
  readonly publishedAt?: string;
  readonly imageUrl?: string;
  readonly relevance: string;
}

/**
 * Takes stories from configured feeds: polls one source (conditional, bounded), parses it, fetches the
 * article when the feed only has a summary, scores relevance, links duplicates to the first story, and
 * drafts (review) or schedules (auto) the rest. Failing sources back off and editors hear once.
 */
export class FeedIntake {
  readonly #scorer: RelevanceScorer;
  readonly #vocabulary: CommonVocabulary;
  readonly #byId: ReadonlyMap<string, SourceConfig>;

  constructor(private readonly deps: FeedIntakeDeps) {
    this.#scorer = createRelevanceScorer(deps.config.relevance);
    this.#vocabulary = commonVocabulary(deps.config.relevance.terms);
    this.#byId = new Map(deps.config.sources.map((s) => [s.id, s]));
  }

  /** Configured (enabled) sources. */
  sources(): readonly SourceConfig[] {
    return this.deps.config.sources;
  }

  /**
   * Polls one source once. Never throws for a source's own problems; they are counted and reported. Two
   * polls of one source never overlap (the second answers `busy`).
   */
  async poll(sourceId: string): Promise<PollReport> {
    const source = this.#byId.get(sourceId);
    if (!source) throw new Error(`unknown source ${sourceId}`);
    const limits = this.deps.config.fetch;
    // Generous: feed plus every article page and image fetch of one poll, each bounded by timeoutMs.
    const release = await this.deps.state.claimPoll(
      source.id,
      limits.timeoutMs * (3 + 2 * limits.maxArticleFetchesPerPoll + source.maxItemsPerPoll),
    );
    if (!release) return { sourceId: source.id, outcome: 'busy', drafted: [], duplicates: [], skipped: 0 };
    try {
      return await this.#poll(source);
    } finally {
      await release();
    }
  }

  async #poll(source: SourceConfig): Promise<PollReport> {
    const { state, logger, now } = this.deps;
    const log = logger.child({ source: source.id });
    const current = await state.sourceState(source.id);
    const base = { sourceId: source.id, drafted: [], duplicates: [], skipped: 0 };
    if (current.backoffUntilMs > now()) {
      log.debug({ until: new Date(current.backoffUntilMs).toISOString() }, 'intake: source backing off');
      return { ...base, outcome: 'backing-off' };
    }

    let feed: ParsedFeed;
    try {
      const limits = this.deps.config.fetch;
      const fetched = await fetchBounded(source.url, {
        timeoutMs: limits.timeoutMs,
        maxBytes: limits.maxFeedBytes,
        maxRedirects: limits.maxRedirects,
        accept: FEED_ACCEPT,
        userAgent: limits.userAgent,
        ...(current.etag ? { etag: current.etag } : {}),
        ...(current.lastModified ? { lastModified: current.lastModified } : {}),
        ...this.#io(),
      });
      if (fetched.kind === 'not-modified') {
        await this.#succeeded(source, current, {});
        log.debug('intake: feed not modified');
        return { ...base, outcome: 'not-modified' };
      }
      feed = parseFeedDocument(decodeDocument(fetched.body, fetched.contentType, 'xml'), {
        feedUrl: fetched.url,
        nowMs: now(),
        maxItems: source.maxItemsPerPoll,
      });
      for (const note of feed.notes) log.warn({ note }, `intake: ${note}`);
      await this.#succeeded(source, current, { etag: fetched.etag, lastModified: fetched.lastModified });
    } catch (err) {
      if (!(err instanceof FetchError) && !(err instanceof FeedParseError)) throw err;
      const error = err.message;
      await this.#failed(source, error);
      return { ...base, outcome: 'failed', error };
    }
    return this.#takeItems(source, feed, current.lastOkMs === undefined);
  }

  async #takeItems(source: SourceConfig, feed: ParsedFeed, firstPoll: boolean): Promise<PollReport> {
    const { state, now } = this.deps;
    const log = this.deps.logger.child({ source: source.id });
    const keyed = feed.items.map((item) => ({ item, key: itemKey(item) }));
    const seen = await state.seen(
      source.id,
      keyed.map((k) => k.key),
    );
    const fresh = keyed.filter((k) => !seen.has(k.key));
    const oldestMs = now() - source.maxAgeHours * 3_600_000;
    const done: string[] = [];
    const drafted: string[] = [];
    const duplicates: [string, string][] = [];
    let skipped = 0;
    let articleFetches = 0;
    const skip = (key: string, why: string, item: FeedItem) => {
      skipped++;
      done.push(key);
      log.info({ title: item.title.slice(0, 120), url: item.url, why }, 'intake: item skipped');
    };

    for (const { item, key } of fresh) {
      if (this.deps.signal?.aborted) break;
      const publishedMs = item.publishedAt ? Date.parse(item.publishedAt) : undefined;
      if (publishedMs !== undefined && publishedMs < oldestMs) {
        skip(key, `older than ${source.maxAgeHours} h`, item);
        continue;
      }
      if (publishedMs === undefined && firstPoll) {
        skip(key, 'undated item on the first poll of the source: taken as backlog', item);
        continue;
      }
      const filtered = filterRejection(item, source.filters);
      if (filtered) {
        skip(key, filtered, item);
        continue;
      }
      // Cheap exact checks before any page is fetched.
      const early = await this.#exactDuplicate(item.guid, item.url ? [canonicalUrl(item.url)] : []);
      if (early) {
        await this.#link(source, item, early.storyId, early.reason);
        await this.#publish([
          {
            kind: 'duplicate',
            storyId: early.storyId,
            title: item.title,
            sourceId: source.id,
            sourceName: source.name,
            reason: early.reason,
            ...(item.url ? { url: item.url } : {}),
          },
        ]);
        duplicates.push([item.title, early.storyId]);
        done.push(key);
        continue;
      }
      let article: ArticleInfo | undefined;
      if (
        item.url &&
        item.text.length < source.fetchArticleBelowChars &&
        articleFetches < this.deps.config.fetch.maxArticleFetchesPerPoll
      ) {
        articleFetches++;
        article = await this.#article(item.url, log);
      }
      const candidate = this.#candidate(source, item, key, article);
      if (!candidate.ok) {
        skip(key, candidate.why, item);
        continue;
      }
      const outcome = await this.#admit(source, candidate.value, log);
      done.push(key);
      if (outcome.kind === 'drafted') drafted.push(outcome.storyId);
      else if (outcome.kind === 'duplicate') duplicates.push([candidate.value.title, outcome.storyId]);
      else skipped++;
    }
    await state.markSeen(source.id, done, now());
    if (drafted.length + duplicates.length > 0 || fresh.length > 0) {
      log.info(
        {
          items: feed.items.length,
          fresh: fresh.length,
          drafted: drafted.length,
          duplicates: duplicates.length,
          skipped,
        },
        'intake: poll done',
      );
    }
    return { sourceId: source.id, outcome: 'ok', drafted, duplicates, skipped };
  }

  #candidate(
    source: SourceConfig,
    item: FeedItem,
    key: string,
    article: ArticleInfo | undefined,
  ): { ok: true; value: Candidate } | { ok: false; why: string } {
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
    const imageUrl = item.imageUrl ?? article?.imageUrl;
    return {
      ok: true,
      value: {
        item,
        key,
        title: title.slice(0, 400),
        body,
        canonicalUrls: [...new Set(urls)],
        relevance: line,
        ...(item.url ? { url: item.url } : {}),
        ...(publishedAt ? { publishedAt } : {}),
        ...(imageUrl ? { imageUrl } : {}),
      },
    };
  }

  /** Dedup, then draft (and for auto sources schedule) under the intake lock. */
  async #admit(
    source: SourceConfig,
    c: Candidate,
    log: Logger,
  ): Promise<{ kind: 'drafted' | 'duplicate'; storyId: string } | { kind: 'refused' }> {
    const { state, desk, now } = this.deps;
    const imageUrl = c.imageUrl ? await this.#checkedImage(c.imageUrl, log) : undefined;
    const actor: Actor = { kind: 'system', name: `feed ${source.id}` };
    const events: IntakeEvent[] = [];
    let reason = 'linked to the first story';
    const result = await state.withLock(async () => {
      const duplicate =
        (await this.#exactDuplicate(c.item.guid, c.canonicalUrls)) ?? (await this.#similar(c.title));
      if (duplicate) {
        reason = duplicate.reason;
        await this.#link(source, c.item, duplicate.storyId, duplicate.reason, c.title);
        await state.remember(
          duplicate.storyId,
          { guids: c.item.guid ? [c.item.guid] : [], urls: c.canonicalUrls },
          now(),
        );
        return { kind: 'duplicate' as const, storyId: duplicate.storyId };
      }
      const input = {
        title: c.title,
        body: c.body,
        source: source.name,
        tags: [],
        ...(c.url ? { url: c.url } : {}),
        ...(c.publishedAt ? { publishedAt: c.publishedAt } : {}),
        ...(imageUrl ? { imageUrl } : {}),
      };
      const drafted = await desk.createDraft(input, actor);
      if (!drafted.ok) {
        const existing = drafted.code === 'duplicate' ? drafted.existingId : undefined;
        if (existing) {
          reason = 'same URL as a story in the queue';
          await this.#link(source, c.item, existing, reason, c.title);
          return { kind: 'duplicate' as const, storyId: existing };
        }
        log.warn({ title: c.title, error: drafted.error }, 'intake: item refused by the desk');
        return { kind: 'refused' as const };
      }
      const storyId = drafted.value.story.id;
      await state.remember(
        storyId,
        { guids: c.item.guid ? [c.item.guid] : [], urls: c.canonicalUrls, title: drafted.value.story.title },
        now(),
      );
      return { kind: 'drafted' as const, storyId, story: drafted.value.story };
    });
    if (result.kind !== 'drafted') {
      if (result.kind === 'duplicate') {
        events.push({
          kind: 'duplicate',
          storyId: result.storyId,
          title: c.title,
          sourceId: source.id,
          sourceName: source.name,
          reason,
          ...(c.url ? { url: c.url } : {}),
        });
      }
      await this.#publish(events);
      return result;
    }

    const { storyId } = result;
    await this.deps.store.appendHistory(storyId, {
      at: new Date(now()).toISOString(),
      actor,
      action: `taken from ${source.name}${c.url ? ` (${c.url})` : ''}; ${c.relevance}${c.imageUrl && !imageUrl ? '; image left out (could not be fetched or refused)' : ''}`,
    });
    const common = {
      storyId,
      title: result.story.title,
      sourceId: source.id,
      sourceName: source.name,
      relevance: c.relevance,
    };
    if (source.mode === 'auto') {
      const scheduled = await desk.schedule(storyId, { mode: 'next-slot' }, actor);
      if (scheduled.ok) {
        const plan = scheduled.value.destinations
          .map((d) => `${d.destination} ${d.atMs === undefined ? '?' : new Date(d.atMs).toISOString()}`)
          .join('; ');
        events.push({ kind: 'scheduled', ...common, plan });
      } else {
        log.warn(
          { storyId, error: scheduled.error },
          'intake: auto source could not schedule; left as a draft',
        );
        events.push({ kind: 'draft', ...common });
      }
    } else {
      events.push({ kind: 'draft', ...common });
    }
    log.info({ storyId, mode: source.mode, relevance: c.relevance }, 'intake: story drafted');
    await this.#publish(events);
    return { kind: 'drafted', storyId };
  }

  async #exactDuplicate(
    guid: string | undefined,
    urls: readonly string[],
  ): Promise<{ storyId: string; reason: string } | undefined> {
    if (guid) {
      const byGuid = await this.deps.state.storyFor('guid', guid);
      if (byGuid) return { storyId: byGuid, reason: `same GUID ${guid}` };
    }
    for (const url of urls) {
      const byUrl = await this.deps.state.storyFor('url', url);
      if (byUrl) return { storyId: byUrl, reason: `same URL ${url}` };
    }
    return undefined;
  }

  /** The same event in other words: similar title among intake stories and the editors' own queue. */
  async #similar(title: string): Promise<{ storyId: string; reason: string } | undefined> {
    const { dedup } = this.deps.config;
    const sinceMs = this.deps.now() - dedup.windowHours * 3_600_000;
    const index = new TitleIndex();
    for (const seen of await this.deps.state.titlesSince(sinceMs)) {
      index.add({
        storyId: seen.storyId,
        tokens: titleTokens(seen.title, this.#vocabulary),
        atMs: seen.atMs,
      });
    }
    for (const id of await this.deps.store.recent(EDITOR_QUEUE_LOOKBACK)) {
      const record = await this.deps.store.get(id);
      if (!record) continue;
      const atMs = Date.parse(record.queuedAt);
      if (atMs < sinceMs) break;
      index.add({ storyId: id, tokens: titleTokens(record.story.title, this.#vocabulary), atMs });
    }
    const hit = index.findSimilar(titleTokens(title, this.#vocabulary), dedup.titleSimilarity, sinceMs);
    return hit
      ? { storyId: hit.entry.storyId, reason: `similar title, ${Math.round(hit.similarity * 100)}% alike` }
      : undefined;
  }

  async #link(
    source: SourceConfig,
    item: FeedItem,
    firstId: string,
    reason: string,
    title = item.title,
  ): Promise<void> {
    const { store, now, logger } = this.deps;
    await store.appendHistory(firstId, {
      at: new Date(now()).toISOString(),
      actor: { kind: 'system', name: `feed ${source.id}` },
      action: `same story also reported by ${source.name}: “${title.slice(0, 160)}”${item.url ? ` ${item.url}` : ''} (${reason}); linked, not published`,
    });
    logger.info(
      { source: source.id, firstId, title: title.slice(0, 120), reason },
      'intake: duplicate linked to first story',
    );
  }

  async #article(url: string, log: Logger): Promise<ArticleInfo | undefined> {
    const limits = this.deps.config.fetch;
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
        timeoutMs: this.deps.config.fetch.timeoutMs,
        ...this.#io(),
        ...this.#linkFetch(),
      });
      return url;
    } catch (err) {
      log.info({ url, err: (err as Error).message }, 'intake: story image left out');
      return undefined;
    }
  }

  async #succeeded(
    source: SourceConfig,
    current: { failures: number; alerted: boolean },
    validators: { etag?: string | undefined; lastModified?: string | undefined },
  ): Promise<void> {
    await this.deps.state.recordSuccess(source.id, this.deps.now(), validators);
    if (current.alerted) {
      await this.#publish([
        {
          kind: 'source-recovered',
          sourceId: source.id,
          sourceName: source.name,
          failures: current.failures,
          message: `${source.name} answers again after ${current.failures} failed polls`,
        },
      ]);
    }
  }

  async #failed(source: SourceConfig, error: string): Promise<void> {
    const { state, now, config, logger } = this.deps;
    const current = await state.sourceState(source.id);
    const failures = current.failures + 1;
    // Skip 0, 1, 3, 7… polls after each failure, up to the configured ceiling.
    const waitMs = Math.min(
      source.pollEveryMs * (2 ** Math.min(failures - 1, 20) - 1),
      config.fetch.maxBackoffMs,
    );
    await state.recordFailure(source.id, error, now() + waitMs);
    logger.warn({ source: source.id, failures, err: error, backoffMs: waitMs }, 'intake: source poll failed');
    if (failures >= config.fetch.alertAfterFailures && (await state.markAlerted(source.id))) {
      await this.#publish([
        {
          kind: 'source-failing',
          sourceId: source.id,
          sourceName: source.name,
          failures,
          message: `${source.name} failed ${failures} polls in a row; last error: ${error}`,
        },
      ]);
    }
  }

  async #publish(events: readonly IntakeEvent[]): Promise<void> {
    for (const event of events) {
      await this.deps.events
        .publish(event)
        .catch((err: Error) =>
          this.deps.logger.warn({ err: err.message, kind: event.kind }, 'intake: event not published'),
        );
    }
  }

  /** The fetch options for a link found in a feed item (not the feed itself). */
  #linkFetch(): { fetchImpl?: typeof fetch } {
    return this.deps.linkFetch ? { fetchImpl: this.deps.linkFetch } : {};
  }

  #io(): { signal?: AbortSignal; fetchImpl?: typeof fetch } {
    return {
      ...(this.deps.signal ? { signal: this.deps.signal } : {}),
      ...(this.deps.fetchImpl ? { fetchImpl: this.deps.fetchImpl } : {}),
    };
  }
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
