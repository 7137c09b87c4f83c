import type { Desk } from '../ports/desk.js';
import type { IntakeBus } from '../ports/intake-bus.js';
import type { IntakeStore } from '../ports/intake-store.js';
import type { StoryStore } from '../ports/story-store.js';
import type { Logger } from '../util/logger.js';
import type { FeedItem, ParsedFeed } from './feed-items.js';
import { FeedReader, itemKey, screenItem } from './feed-reader.js';
import { IntakeNews } from './intake-news.js';
import { SourceHealth } from './source-health.js';
import type { SourceConfig, SourcesConfig } from './sources-schema.js';
import { StoryAdmission } from './story-admission.js';

/** What feed intake needs from the rest of regwire. */
export interface FeedIntakeDeps {
  readonly config: SourcesConfig;
  readonly desk: Pick<Desk, 'createDraft' | 'schedule' | 'note'>;
  readonly store: Pick<StoryStore, 'appendHistory' | 'recent' | 'get'>;
  readonly state: IntakeStore;
  readonly events: Pick<IntakeBus, 'publish'>;
  readonly logger: Logger;
  /** Epoch ms. */
  readonly now: () => number;
  /** Fetch implementation for feeds, pages and images; default the global fetch. */
  readonly fetchImpl?: typeof fetch;
  /**
   * Fetches the links found in feed items (article pages, images), e.g. connecting to public addresses
   * only; the configured feed URLs themselves are trusted and fetched with `fetchImpl`. Default `fetchImpl`.
   */
  readonly linkFetch?: typeof fetch;
  /** Aborts the fetches of polls in flight (shutdown). */
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

/**
 * Takes stories from configured feeds, one poll of one source at a time: the {@link FeedReader} turns the
 * source into candidates (conditional, bounded fetches; article pages; relevance), {@link StoryAdmission}
 * links duplicates to the first story and drafts (review) or schedules (auto) the rest through the desk,
 * and {@link SourceHealth} backs failing sources off (editors hear once). Items handled are remembered per
 * source, so the next poll skips them.
 */
export class FeedIntake {
  readonly #reader: FeedReader;
  readonly #admission: StoryAdmission;
  readonly #health: SourceHealth;
  readonly #byId: ReadonlyMap<string, SourceConfig>;

  constructor(private readonly deps: FeedIntakeDeps) {
    const { config, logger, now } = deps;
    const news = new IntakeNews(deps.events, logger);
    this.#reader = new FeedReader({
      config,
      logger,
      now,
      ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}),
      ...(deps.linkFetch ? { linkFetch: deps.linkFetch } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    this.#admission = new StoryAdmission({
      dedup: config.dedup,
      terms: config.relevance.terms,
      desk: deps.desk,
      store: deps.store,
      state: deps.state,
      news,
      logger,
      now,
    });
    this.#health = new SourceHealth({ limits: config.fetch, state: deps.state, news, logger, now });
    this.#byId = new Map(config.sources.map((s) => [s.id, s]));
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
    const reading = await this.#reader.read(source, current);
    switch (reading.kind) {
      case 'not-modified':
        await this.#health.succeeded(source, current, {});
        log.debug('intake: feed not modified');
        return { ...base, outcome: 'not-modified' };
      case 'failed':
        await this.#health.failed(source, reading.error);
        return { ...base, outcome: 'failed', error: reading.error };
      case 'read':
        await this.#health.succeeded(source, current, reading.validators);
        return this.#takeItems(source, reading.feed, current.lastOkMs === undefined);
    }
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
    const nowMs = now();
    const articles = this.#reader.articleBudget();
    const done: string[] = [];
    const drafted: string[] = [];
    const duplicates: [string, string][] = [];
    let skipped = 0;
    const skip = (key: string, why: string, item: FeedItem) => {
      skipped++;
      done.push(key);
      log.info({ title: item.title.slice(0, 120), url: item.url, why }, 'intake: item skipped');
    };

    for (const { item, key } of fresh) {
      if (this.deps.signal?.aborted) break;
      const screened = screenItem(source, item, { nowMs, firstPoll });
      if (screened) {
        skip(key, screened, item);
        continue;
      }
      // Cheap exact checks before any page is fetched.
      const known = await this.#admission.linkKnown(source, item);
      if (known) {
        duplicates.push([item.title, known]);
        done.push(key);
        continue;
      }
      const candidate = await this.#reader.candidate(source, item, key, articles);
      if (!candidate.ok) {
        skip(key, candidate.why, item);
        continue;
      }
      const admission = await this.#admission.admit(source, candidate.value);
      done.push(key);
      if (admission.kind === 'drafted') drafted.push(admission.storyId);
      else if (admission.kind === 'duplicate') duplicates.push([candidate.value.title, admission.storyId]);
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
}
