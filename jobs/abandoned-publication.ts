import type { PublicationState } from '../src/domain/publication.js';
import type { AlertBus } from '../src/ports/alert-bus.js';
import type { StoryStore } from '../src/ports/story-store.js';

/** A publication whose job ended without the run recording why (see {@link settleAbandoned}). */
export interface AbandonedPublication {
  readonly storyId: string;
  readonly destination: string;
  /** Why the job ended, in the job's own words. */
  readonly reason: string;
  /** ISO time of the change. */
  readonly at: string;
  /** The states it may be found in; anything else means someone (an editor, a run) moved it since. */
  readonly from: readonly PublicationState[];
}

/**
 * Marks a publication whose job ended unrecorded (stalled too often, its worker died after the failure)
 * as failed, compare-and-set, and tells the editors once. Resolves false when the publication had moved
 * on (nothing written, nobody told). The alert's failure is the caller's to log.
 */
export async function settleAbandoned(
  store: StoryStore,
  alerts: AlertBus | undefined,
  p: AbandonedPublication,
): Promise<boolean> {
  const changed = await store.transition(p.storyId, p.destination, {
    from: p.from,
    to: 'failed',
    at: p.at,
    reason: `job ended: ${p.reason}`,
  });
  if (!changed.ok) return false;
  await alerts?.publish({
    storyId: p.storyId,
    destination: p.destination,
    kind: 'failed',
    message: `publishing stopped: ${p.reason}`,
  });
  return true;
}
