import { amendmentDestination, isConfirmed } from '../domain/amendment.js';
import type { StoryRecord } from '../domain/publication.js';
import type { SentXPost } from '../format/x-duplicates.js';
import type { StoryStore } from '../ports/story-store.js';

/**
 * How far back X's duplicate-content refusal is assumed to reach. X does not publish the window; a day is
 * what its own stand-in models (see src/sandbox/standins/x) and what accounts report in practice.
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
  const posts: SentXPost[] = [];
  for (const id of await store.recent(LOOKBACK_STORIES)) {
    const record = await store.get(id);
    if (!record) continue;
    for (const destination of record.destinations.filter((d) => query.xDestinations.includes(d))) {
      if (id !== query.excludeStoryId) posts.push(...(await threadPosts(store, record, destination, since)));
      posts.push(...(await amendmentPosts(store, record, destination, since)));
    }
  }
  return posts;
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
  const posts: SentXPost[] = [];
  for (const amendment of (record.amendments ?? []).filter(isConfirmed)) {
    const steps = amendment.operations.find((o) => o.destination === destination)?.steps;
    if (!steps) continue;
    for (const part of await store.parts(id, amendmentDestination(destination, amendment.id))) {
      const step = steps[part.index];
      if (part.state !== 'sent' || !sentSince(part.at, since) || !step) continue;
      if (step.kind === 'x-reply' || step.kind === 'x-post' || step.kind === 'x-continue')
        posts.push({ text: step.text, what: `${amendment.kind} ${amendment.id} of ${id}`, at: part.at });
    }
  }
  return posts;
}
