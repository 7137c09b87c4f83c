import type { DestinationConfig } from '../config/config.js';
import { parseAmendmentDestination } from '../domain/amendment.js';
import type { Actor } from '../domain/history.js';
import type { PartRecord } from '../domain/publication.js';
import type { AmendmentScheduler } from '../ports/amendment-scheduler.js';
import type { DeskResult } from '../ports/desk.js';
import type { StoryStore } from '../ports/story-store.js';
import { refused } from './desk-result.js';

/** What an editor decides for an amendment's operation that stopped (an alert's buttons, `/retry`). */
export type AmendmentDecision = 'retry' | 'skip' | 'posted';

/** What {@link decideAmendment} needs. */
export interface AmendmentDecisionDeps {
  readonly store: StoryStore;
  readonly scheduler: AmendmentScheduler;
  readonly destinations: readonly DestinationConfig[];
  readonly now: () => Date;
}

/**
 * An editor's decision on an amendment's operation (`telegram~u1`, `x~c1`…) that failed or waits for an
 * editor, the way a story's publication is decided on:
 * - `retry`: sent on from the first step not done. A step whose outcome is unknown is looked up first
 *   on X; on Telegram, which cannot be searched, Retry means "it was not posted: send it".
 * - `posted`: the editor saw the step land (on X with the tweet's id, `remoteId`, which the next tweet
 *   replies to); the rest goes on from the next one.
 * - `skip`: the operation stops; what is out stays out.
 * Resolves to the line for the story's history.
 */
export async function decideAmendment(
  deps: AmendmentDecisionDeps,
  storyId: string,
  name: string,
  decision: AmendmentDecision,
  actor: Actor,
  remoteId?: string,
): Promise<DeskResult<string>> {
  const op = parseAmendmentDestination(name);
  const record = await deps.store.get(storyId);
  const amendment = record?.amendments?.find((a) => a.id === op?.amendmentId);
  if (!op || !amendment?.operations.some((o) => o.destination === op.destination)) {
    return { ok: false, code: 'not-found', error: `${storyId} has no amendment operation ${name}` };
  }
  const state = (await deps.store.publications(storyId)).find((p) => p.destination === name)?.state;
  if (state !== 'failed' && state !== 'needs-attention') {
    return refused(
      `${amendment.kind} ${amendment.id} of ${storyId} on ${op.destination} is not waiting for a decision (it is ${state ?? 'not started'})`,
    );
  }
  const at = deps.now().toISOString();
  const from = ['failed', 'needs-attention'] as const;
  if (decision === 'skip') {
    await deps.store.transition(storyId, name, {
      from,
      to: 'cancelled',
      at,
      reason: `skipped by ${actor.name}`,
    });
    return { ok: true, value: `${amendment.kind} ${amendment.id} skipped on ${op.destination}` };
  }
  const platform = deps.destinations.find((d) => d.id === op.destination)?.platform;
  const parts = await deps.store.parts(storyId, name);
  const unknown = parts.find((p) => p.state === 'unknown');
  let part: PartRecord | undefined;
  if (decision === 'posted') {
    if (platform === 'x' && remoteId === undefined) {
      return {
        ok: false,
        code: 'invalid-input',
        error: `give the tweet's link: the next step on ${op.destination} replies to it (or Retry: it is looked up on X first)`,
      };
    }
    const steps = amendment.operations.find((o) => o.destination === op.destination)?.steps ?? [];
    const index = steps.findIndex((_s, i) => parts.find((p) => p.index === i)?.state !== 'sent');
    if (index < 0) return refused(`every step of ${amendment.id} on ${op.destination} is done`);
    part = { index, state: 'sent', at, confirmedBy: actor.name, ...(remoteId ? { remoteId } : {}) };
  } else if (unknown) {
    const { attempt: _attempt, ...rest } = unknown;
    // X: a `sending` mark without an attempt makes the worker look for the tweet at once before posting.
    part = {
      ...rest,
      state: platform === 'x' ? 'sending' : 'failed',
      at,
      reason: `retry requested by ${actor.name}`,
    };
  }
  const changed = await deps.store.transition(storyId, name, {
    from,
    to: 'scheduled',
    at,
    reason: `${decision === 'retry' ? 'retry' : 'marked as posted'} by ${actor.name}`,
    ...(part ? { part } : {}),
  });
  if (!changed.ok)
    return refused(`${amendment.id} on ${op.destination} changed meanwhile (${changed.current})`);
  await deps.scheduler.schedule(storyId, name);
  const what = decision === 'retry' ? 'retried' : `step ${(part?.index ?? 0) + 1} marked as posted`;
  return { ok: true, value: `${amendment.kind} ${amendment.id} ${what} on ${op.destination}` };
}
