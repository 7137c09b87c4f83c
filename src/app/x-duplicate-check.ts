import type { DestinationConfig } from '../config/config.js';
import type { AmendmentOperation } from '../domain/amendment.js';
import { utcClock } from '../format/amendment-text.js';
import { duplicateOf } from '../format/x-duplicates.js';
import type { DeskResult } from '../ports/desk.js';
import type { StoryStore } from '../ports/story-store.js';
import { recentXPosts } from './recent-x-posts.js';

/**
 * Refuses an amendment whose X post repeats one regwire sent within X's duplicate window: X would refuse
 * it only after the editor confirmed, and that refusal reads like a post already made. `undefined` when
 * nothing repeats.
 */
export async function refuseXDuplicates(
  store: StoryStore,
  destinations: readonly DestinationConfig[],
  operations: readonly AmendmentOperation[],
  nowMs: number,
): Promise<DeskResult<never> | undefined> {
  const xDestinations = destinations.filter((d) => d.platform === 'x').map((d) => d.id);
  const onX = operations.filter((op) => xDestinations.includes(op.destination));
  if (onX.length === 0) return undefined;
  const recent = await recentXPosts(store, { xDestinations, nowMs });
  for (const op of onX) {
    for (const step of op.steps) {
      if (step.kind !== 'x-reply' && step.kind !== 'x-post' && step.kind !== 'x-continue') continue;
      const same = duplicateOf(step.text, recent);
      if (!same) continue;
      return {
        ok: false,
        code: 'invalid-input',
        error:
          `${op.destination}: "${step.text}" is the same text as ${same.what}, posted ${utcClock(Date.parse(same.at))} UTC; ` +
          'X refuses a post that repeats a recent one: reword it (nothing was sent)',
      };
    }
  }
  return undefined;
}
