import type { DeskServices } from '../../../src/app/desk-services.js';
import type { PublicationState } from '../../../src/domain/publication.js';

// What a publish worker writes, through the same store it uses, for tests of the bot that run no worker.

/** How many parts (channel posts or tweets) the story has on a destination. */
async function partCount(services: DeskServices, storyId: string, destination: string): Promise<number> {
  const record = await services.store.get(storyId);
  if (!record) throw new Error(`no story ${storyId}`);
  const platform = destination === 'x' ? 'x' : 'telegram';
  return Math.max(1, platform === 'x' ? record.rendered.x.length : record.rendered.telegram.length);
}

/** Every part sent (remote ids 1001, 1002, …) and the publication finished at `atMs`, as a worker records it. */
export async function markPublished(
  services: DeskServices,
  storyId: string,
  destination: string,
  atMs: number,
): Promise<void> {
  const at = new Date(atMs).toISOString();
  const parts = await partCount(services, storyId, destination);
  for (let index = 0; index < parts; index++) {
    await services.store.setPart(storyId, destination, {
      index,
      state: 'sent',
      remoteId: String(1001 + index),
      at,
    });
  }
  await services.store.setPublication(storyId, { destination, state: 'published', dueAt: at, updatedAt: at });
  await services.store.indexPublished(storyId, atMs);
}

/** The publication's state as a worker leaves it after giving up (`failed`) or asking for an editor. */
export async function markState(
  services: DeskServices,
  storyId: string,
  destination: string,
  state: Extract<PublicationState, 'failed' | 'needs-attention'>,
  atMs: number,
  reason = 'refused by the platform',
): Promise<void> {
  const previous = (await services.store.publications(storyId)).find((p) => p.destination === destination);
  const { moved: _moved, ...kept } = previous ?? { destination };
  await services.store.setPublication(storyId, {
    ...kept,
    destination,
    state,
    updatedAt: new Date(atMs).toISOString(),
    reason,
  });
}

/**
 * One part's outcome unknown (the last one by default; the ones before it sent) and the publication
 * waiting for an editor, as a worker leaves it after a timeout it could not reconcile. Returns that part's
 * index.
 */
export async function markPartUnknown(
  services: DeskServices,
  storyId: string,
  destination: string,
  atMs: number,
  index?: number,
): Promise<number> {
  const at = new Date(atMs).toISOString();
  const last = index ?? (await partCount(services, storyId, destination)) - 1;
  for (let index = 0; index < last; index++) {
    await services.store.setPart(storyId, destination, {
      index,
      state: 'sent',
      remoteId: String(1001 + index),
      at,
    });
  }
  await services.store.setPart(storyId, destination, {
    index: last,
    state: 'unknown',
    at,
    reason: 'the request timed out after it was sent',
  });
  await markState(services, storyId, destination, 'needs-attention', atMs, 'outcome unknown');
  return last;
}
