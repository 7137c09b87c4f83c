import type { PublicationStatus } from '../domain/publication.js';
import type { Story } from '../domain/story.js';
import { InputError } from '../errors/input-error.js';
import type { Rendered } from '../format/types.js';
import type { PublicationScheduler } from '../ports/publication-scheduler.js';
import type { StoryStore } from '../ports/story-store.js';

/** When a story should go out. */
export type PublishWhen = { readonly mode: 'now' } | { readonly mode: 'at'; readonly atMs: number };

export interface QueueStoryDeps {
  readonly store: StoryStore;
  readonly scheduler: PublicationScheduler;
  readonly now: () => number;
}

export type QueueStoryResult =
  | { readonly queued: true; readonly storyId: string; readonly plan: readonly PublicationStatus[] }
  | { readonly queued: false; readonly storyId: string; readonly existingId: string };

// An exact time this far in the past is treated as a typo, not as "now".
const PAST_TOLERANCE_MS = 60_000;

/**
 * Stores a rendered story and schedules it on each destination. A story already queued (same id or
 * same canonical URL) is refused with the id of the first; nothing is written then.
 */
export async function queueStory(
  deps: QueueStoryDeps,
  story: Story,
  rendered: Rendered,
  destinations: readonly string[],
  when: PublishWhen,
): Promise<QueueStoryResult> {
  if (destinations.length === 0) throw new InputError('no destination is configured to publish to');
  const nowMs = deps.now();
  if (when.mode === 'at' && when.atMs < nowMs - PAST_TOLERANCE_MS) {
    throw new InputError(`--at ${new Date(when.atMs).toISOString()} is in the past`);
  }
  const dueAtMs = when.mode === 'at' ? Math.max(when.atMs, nowMs) : nowMs;
  const queuedAt = new Date(nowMs).toISOString();
  const created = await deps.store.create({ story, rendered, queuedAt, destinations });
  if (!created.created) return { queued: false, storyId: story.id, existingId: created.existingId };

  const plan: PublicationStatus[] = [];
  for (const destination of destinations) {
    const status: PublicationStatus = {
      destination,
      state: 'scheduled',
      dueAt: new Date(dueAtMs).toISOString(),
      updatedAt: queuedAt,
    };
    // Status first: a worker that picks the job up at once must find it.
    await deps.store.setPublication(story.id, status);
    await deps.scheduler.schedule(story.id, destination, dueAtMs);
    plan.push(status);
  }
  return { queued: true, storyId: story.id, plan };
}
