import { amendmentDestination, isConfirmed } from '../domain/amendment.js';
import type { StoryRecord } from '../domain/publication.js';
import type { SentXPost } from '../format/x-duplicates.js';
import type { StoryStore } from '../ports/story-store.js';

/**
 * How far back X's duplicate-content refusal is assumed to reach. X does not publish the window; "roughly
 * every 24 hours (could be less, but no clear policy)" is what integrators report
 * (https://github.com/CampaignChain/campaignchain/issues/223), and what the X stand-in models. A tweet
 * deleted since still counts (https://github.com/J7mbo/twitter-api-php/issues/171): a retracted
 * story's tweets are kept here.
 */
export const X_DUPLICATE_WINDOW_MS = 24 * 3_600_000;

/** Stories looked at, newest queued first: a day of a busy desk, with room. */
const LOOKBACK_STORIES = 150;

/** What {@link recentXPosts} reads and leaves out. */
export interface RecentXPostsQuery {
  /** The X destinations' ids. */
  readonly xDestinations: readonly string[];
  readonly nowMs: number;
  /** A story whose own tweets are not duplicates of itself (a preview of a story already out). */
  readonly excludeStoryId?: string;
}

/**
 * The posts regwire itself sent to X within {@link X_DUPLICATE_WINDOW_MS}: the threads' tweets and the
 * amendments' (correction replies, retraction notices, updates), from its own ledgers. No X read (reads
 * are billed); what was posted by hand on the account is not seen.
 */
export async function recentXPosts(store: StoryStore, query: RecentXPostsQuery): Promise<SentXPost[]> {
  const since = query.nowMs - X_DUPLICATE_WINDOW_MS;
  // Asked all at once: the client sends the reads back to back, one round trip's wait for the lot
  // instead of one per story (a preview waits on this).
  const ids = await store.recent(LOOKBACK_STORIES);
  const records = await Promise.all(ids.map((id) => store.get(id)));
  const found = await Promise.all(
    records.flatMap((record) =>
      (record?.destinations ?? [])
        .filter((d) => query.xDestinations.includes(d))
        .flatMap((destination) => [
          record && record.story.id !== query.excludeStoryId
            ? threadPosts(store, record, destination, since)
            : Promise.resolve([]),
          record ? amendmentPosts(store, record, destination, since) : Promise.resolve([]),
        ]),
    ),
  );
  return found.flat();
}

const sentSince = (at: string, since: number) => Date.parse(at) >= since;

async function threadPosts(
  store: StoryStore,
  record: StoryRecord,
  destination: string,
  since: number,
): Promise<SentXPost[]> {
  const id = record.story.id;
  return (await store.parts(id, destination)).flatMap((part) => {
    const text = record.rendered.x[part.index]?.text;
    return part.state === 'sent' && text !== undefined && sentSince(part.at, since)
      ? [{ text, what: `tweet ${part.index + 1} of ${id}`, at: part.at }]
      : [];
  });
}

async function amendmentPosts(
  store: StoryStore,
  record: StoryRecord,
  destination: string,
  since: number,
): Promise<SentXPost[]> {
  const id = record.story.id;
  const ledgers = await Promise.all(
    (record.amendments ?? []).filter(isConfirmed).map(async (amendment) => {
      const steps = amendment.operations.find((o) => o.destination === destination)?.steps;
      if (!steps) return [];
      const parts = await store.parts(id, amendmentDestination(destination, amendment.id));
      return parts.flatMap((part): SentXPost[] => {
        const step = steps[part.index];
        if (part.state !== 'sent' || !sentSince(part.at, since) || !step) return [];
        if (step.kind !== 'x-reply' && step.kind !== 'x-post' && step.kind !== 'x-continue') return [];
        return [{ text: step.text, what: `${amendment.kind} ${amendment.id} of ${id}`, at: part.at }];
      });
    }),
  );
  return ledgers.flat();
}
