import { type Amendment, isConfirmed, nextAmendmentId } from '../domain/amendment.js';
import type { StoryStore } from '../ports/story-store.js';

/** Why {@link appendAmendment} wrote nothing. */
export type AppendRefusal = 'not-found' | 'retracted';

/**
 * Adds `amendment` to the story's record with the next free id of its kind, by compare-and-set: two
 * editors amending one story at once both keep theirs, each with its own id. Refused when the story is
 * gone or a retraction was confirmed in the meantime.
 */
export async function appendAmendment(
  store: StoryStore,
  storyId: string,
  amendment: Omit<Amendment, 'id'>,
): Promise<Amendment | AppendRefusal> {
  let stored: Amendment | undefined;
  let refusal: AppendRefusal = 'not-found';
  await store.update(storyId, (current) => {
    const amendments = current.amendments ?? [];
    if (amendments.some((a) => a.kind === 'retraction' && isConfirmed(a))) {
      refusal = 'retracted';
      return undefined;
    }
    stored = { ...amendment, id: nextAmendmentId(amendments, amendment.kind) };
    return { ...current, amendments: [...amendments, stored] };
  });
  return stored ?? refusal;
}

/** Puts `amendment` in place of the stored one with its id (by compare-and-set; nothing if it is gone). */
export async function replaceAmendment(
  store: StoryStore,
  storyId: string,
  amendment: Amendment,
): Promise<void> {
  await store.update(storyId, (current) => {
    const amendments = current.amendments ?? [];
    if (!amendments.some((a) => a.id === amendment.id)) return undefined;
    return { ...current, amendments: amendments.map((a) => (a.id === amendment.id ? amendment : a)) };
  });
}
