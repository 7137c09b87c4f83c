import { type Amendment, isConfirmed, nextAmendmentId } from '../domain/amendment.js';
import type { StoryRecord } from '../domain/publication.js';
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

/** Why {@link confirmProposed} wrote nothing: the story is gone, it was confirmed or discarded already, or
 * another amendment of its kind (named) was confirmed since the record its steps were built from. */
export type ConfirmRefusal = 'not-found' | 'not-proposed' | { readonly raced: string };

/**
 * Puts `confirmed` in place of its proposal, by compare-and-set, only while that is still a proposal and
 * no other amendment of its kind was confirmed since `seen` (the record its steps were built from): two
 * updates sent at once would otherwise both continue the thread from the same tweet and fork it.
 */
export async function confirmProposed(
  store: StoryStore,
  storyId: string,
  confirmed: Amendment,
  seen: StoryRecord,
): Promise<ConfirmRefusal | undefined> {
  const confirmedBefore = new Set(
    (seen.amendments ?? []).filter((a) => a.kind === confirmed.kind && isConfirmed(a)).map((a) => a.id),
  );
  let refusal: ConfirmRefusal = 'not-found';
  const written = await store.update(storyId, (current) => {
    const amendments = current.amendments ?? [];
    const raced = amendments.find(
      (a) =>
        a.kind === confirmed.kind && a.id !== confirmed.id && isConfirmed(a) && !confirmedBefore.has(a.id),
    );
    if (raced) {
      refusal = { raced: raced.id };
      return undefined;
    }
    if (!amendments.some((a) => a.id === confirmed.id && a.proposed === true && a.discarded !== true)) {
      refusal = 'not-proposed';
      return undefined;
    }
    return { ...current, amendments: amendments.map((a) => (a.id === confirmed.id ? confirmed : a)) };
  });
  return written ? undefined : refusal;
}
