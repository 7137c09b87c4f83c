import type { Actor } from '../domain/history.js';
import { canonicalUrl } from '../domain/story.js';
import type { Desk } from '../ports/desk.js';
import type { IntakeEvent } from '../ports/intake-bus.js';
import type { IntakeStore } from '../ports/intake-store.js';
import type { StoryStore } from '../ports/story-store.js';
import type { Logger } from '../util/logger.js';
import type { FeedItem } from './feed-items.js';
import type { FeedCandidate } from './feed-reader.js';
import type { IntakeNews } from './intake-news.js';
import type { DedupSettings, RelevanceTerm, SourceConfig } from './sources-schema.js';
import { type CommonVocabulary, commonVocabulary, TitleIndex, titleTokens } from './title-similarity.js';

/** What story admission needs. */
export interface StoryAdmissionOptions {
  /** How far back (hours) and how alike (0–1) a title must be to count as the same event. */
  readonly dedup: DedupSettings;
  /** The relevance dictionary: its words weigh less when titles are compared (every story has them). */
  readonly terms: readonly RelevanceTerm[];
  readonly desk: Pick<Desk, 'createDraft' | 'schedule' | 'note'>;
  /** The editors' recent queue (for similar titles). */
  readonly store: Pick<StoryStore, 'recent' | 'get'>;
  readonly state: Pick<IntakeStore, 'storyFor' | 'remember' | 'titlesSince' | 'withLock'>;
  readonly news: IntakeNews;
  readonly logger: Logger;
  /** Epoch ms. */
  readonly now: () => number;
}

/**
 * What became of a candidate: `drafted` (a new story, scheduled too for an auto source), `duplicate`
 * (linked to the first story, `storyId`), or `refused` by the desk.
 */
export type Admission =
  | { readonly kind: 'drafted' | 'duplicate'; readonly storyId: string }
  | { readonly kind: 'refused' };

const EDITOR_QUEUE_LOOKBACK = 300;

/**
 * Candidates to stories: an item that reports an event already queued (same GUID, same canonical URL, or a
 * similar title among intake's stories and the editors' queue) is linked to the first story; the rest are
 * drafted through the desk (and scheduled at the next free slot for an auto source), under the intake
 * lock so two polls never draft the same event. Editors hear of each on the intake bus.
 */
export class StoryAdmission {
  readonly #vocabulary: CommonVocabulary;

  constructor(private readonly options: StoryAdmissionOptions) {
    this.#vocabulary = commonVocabulary(options.terms);
  }

  /**
   * The cheap exact check (GUID, link), before any page is fetched for the item: when it reports a story
   * already known, links it there, tells editors and returns the first story's id.
   */
  async linkKnown(source: SourceConfig, item: FeedItem): Promise<string | undefined> {
    const known = await this.#exactDuplicate(item.guid, item.url ? [canonicalUrl(item.url)] : []);
    if (!known) return undefined;
    await this.#link(source, item, known.storyId, known.reason);
    await this.options.news.tell([
      {
        kind: 'duplicate',
        storyId: known.storyId,
        title: item.title,
        sourceId: source.id,
        sourceName: source.name,
        reason: known.reason,
        ...(item.url ? { url: item.url } : {}),
      },
    ]);
    return known.storyId;
  }

  /** Dedup, then draft (and for auto sources schedule) under the intake lock. */
  async admit(source: SourceConfig, c: FeedCandidate): Promise<Admission> {
    const { state, desk, now } = this.options;
    const log = this.options.logger.child({ source: source.id });
    const actor = feedActor(source);
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
        ...(c.imageUrl ? { imageUrl: c.imageUrl } : {}),
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
      await this.options.news.tell(events);
      return result;
    }

    const { storyId } = result;
    await this.#note(
      storyId,
      actor,
      `taken from ${source.name}${c.url ? ` (${c.url})` : ''}; ${c.relevance}${c.imageLeftOut ? '; image left out (could not be fetched or refused)' : ''}`,
    );
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
    await this.options.news.tell(events);
    return { kind: 'drafted', storyId };
  }

  async #exactDuplicate(
    guid: string | undefined,
    urls: readonly string[],
  ): Promise<{ storyId: string; reason: string } | undefined> {
    if (guid) {
      const byGuid = await this.options.state.storyFor('guid', guid);
      if (byGuid) return { storyId: byGuid, reason: `same GUID ${guid}` };
    }
    for (const url of urls) {
      const byUrl = await this.options.state.storyFor('url', url);
      if (byUrl) return { storyId: byUrl, reason: `same URL ${url}` };
    }
    return undefined;
  }

  /** The same event in other words: similar title among intake stories and the editors' own queue. */
  async #similar(title: string): Promise<{ storyId: string; reason: string } | undefined> {
    const { dedup, state, store } = this.options;
    const sinceMs = this.options.now() - dedup.windowHours * 3_600_000;
    const index = new TitleIndex();
    for (const seen of await state.titlesSince(sinceMs)) {
      index.add({
        storyId: seen.storyId,
        tokens: titleTokens(seen.title, this.#vocabulary),
        atMs: seen.atMs,
      });
    }
    for (const id of await store.recent(EDITOR_QUEUE_LOOKBACK)) {
      const record = await store.get(id);
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

  /** Records on the first story that `item` reported it too. */
  async #link(
    source: SourceConfig,
    item: FeedItem,
    firstId: string,
    reason: string,
    title = item.title,
  ): Promise<void> {
    await this.#note(
      firstId,
      feedActor(source),
      `same story also reported by ${source.name}: “${title.slice(0, 160)}”${item.url ? ` ${item.url}` : ''} (${reason}); linked, not published`,
    );
    this.options.logger.info(
      { source: source.id, firstId, title: title.slice(0, 120), reason },
      'intake: duplicate linked to first story',
    );
  }

  // The one place admission writes a story's history: through the desk, like every other entry.
  async #note(storyId: string, actor: Actor, action: string): Promise<void> {
    const noted = await this.options.desk.note(storyId, actor, action);
    if (!noted.ok)
      this.options.logger.warn({ storyId, error: noted.error }, 'intake: could not note history');
  }
}

/** Who feed intake acts as, in a story's history. */
function feedActor(source: SourceConfig): Actor {
  return { kind: 'system', name: `feed ${source.id}` };
}
