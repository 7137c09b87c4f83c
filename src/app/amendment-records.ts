import { type Amendment, confirmedIds, isConfirmed, nextAmendmentId } from '../domain/amendment.js';
import { expiredProposalRefusal, isOpenProposal } from '../domain/proposal-expiry.js';
import type { StoryRecord } from '../domain/publication.js';
import type { StoryStore } from '../ports/story-store.js';

/**
 * Why {@link appendAmendment} wrote nothing: the story is gone, a retraction was confirmed, or (for an
 * amendment with a `basedOn`) another of its kind, named, was confirmed since its steps were built.
 */
export type AppendRefusal = 'not-found' | 'retracted' | { readonly raced: string };

/** The first amendment of `kind` confirmed and not in `base`: one that came after `base` was read. */
function confirmedSince(amendments: readonly Amendment[], kind: Amendment['kind'], base: readonly string[]) {
  return confirmedIds(amendments, kind).find((id) => !base.includes(id));
}

/**
 * Adds `amendment` to the story's record with the next free id of its kind, by compare-and-set: two
 * editors amending one story at once both keep theirs, each with its own id. Refused when the story is
 * gone, a retraction was confirmed in the meantime, or a confirmed amendment (not a proposal) with a
 * `basedOn` would land on a base another confirmed amendment of its kind has changed since.
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
    const raced =
      amendment.basedOn && amendment.proposed !== true
        ? confirmedSince(amendments, amendment.kind, amendment.basedOn)
        : undefined;
    if (raced) {
      refusal = { raced };
      return undefined;
    }
    stored = { ...amendment, id: nextAmendmentId(amendments, amendment.kind) };
    return { ...current, amendments: [...amendments, stored] };
  });
  return stored ?? refusal;
}

/**
 * Puts `replacement` in place of the proposal with its id, by compare-and-set, only while that is still
 * an open proposal (not confirmed or discarded meanwhile): what a Cancel or a Discard writes. Resolves
 * false when nothing was written.
 */
export async function replaceOpenProposal(
  store: StoryStore,
  storyId: string,
  replacement: Amendment,
): Promise<boolean> {
  const written = await store.update(storyId, (current) => {
    const amendments = current.amendments ?? [];
    if (!amendments.some((a) => a.id === replacement.id && isOpenProposal(a))) return undefined;
    return { ...current, amendments: amendments.map((a) => (a.id === replacement.id ? replacement : a)) };
  });
  return written !== undefined;
}

/** Why {@link confirmProposed} wrote nothing: the story is gone, it was confirmed or discarded already, or
 * another amendment of its kind (named) was confirmed since the record its steps were built from. */
export type ConfirmRefusal = 'not-found' | 'not-proposed' | { readonly raced: string };

/**
 * Puts `confirmed` in place of its proposal, by compare-and-set, only while that is still a proposal and
 * no other amendment of its kind was confirmed since its steps were built: since `seen` (the record they
 * were built from), or, for a correction that says so, since its `basedOn`. Two updates sent at once would
 * otherwise both continue the thread from the same tweet and fork it; two corrections previewed on one
 * base would each drop the other's line.
 */
export async function confirmProposed(
  store: StoryStore,
  storyId: string,
  confirmed: Amendment,
  seen: StoryRecord,
): Promise<ConfirmRefusal | undefined> {
  const base = confirmed.basedOn ?? confirmedIds(seen.amendments ?? [], confirmed.kind);
  let refusal: ConfirmRefusal = 'not-found';
  const written = await store.update(storyId, (current) => {
    const amendments = current.amendments ?? [];
    const raced = confirmedSince(
      amendments.filter((a) => a.id !== confirmed.id),
      confirmed.kind,
      base,
    );
    if (raced) {
      refusal = { raced };
      return undefined;
    }
    if (!amendments.some((a) => a.id === confirmed.id && isOpenProposal(a))) {
      refusal = 'not-proposed';
      return undefined;
    }
    return { ...current, amendments: amendments.map((a) => (a.id === confirmed.id ? confirmed : a)) };
  });
  return written ? undefined : refusal;
}

/**
 * Why a proposal could not be confirmed or cancelled after all: the sweep's expiry when that is what
 * happened (read again now: it may have expired a moment ago), else `fallback`.
 */
export async function whyNotOpen(
  store: StoryStore,
  storyId: string,
  amendmentId: string,
  fallback: string,
): Promise<string> {
  const amendment = (await store.get(storyId))?.amendments?.find((a) => a.id === amendmentId);
  return (amendment && expiredProposalRefusal(storyId, amendment)) ?? fallback;
}
