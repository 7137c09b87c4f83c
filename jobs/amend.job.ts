import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { parseAmendmentDestination } from '../src/domain/amendment.js';
import type { Pacer } from '../src/ports/pacer.js';
import type { StoryStore } from '../src/ports/story-store.js';
import type { AmendmentTarget } from './amendment-sender.js';
import { amendmentPartSender } from './amendment-sender.js';
import {
  createPublishProcessor,
  type PublishDeps,
  type PublishResult,
  publishPayloadSchema,
} from './publish.job.js';

/** The queue of amendment jobs (corrections and retractions), apart from the publish queues. */
export const AMEND_QUEUE = 'amend';

/**
 * What the amendment processor needs: the publish job's dependencies (store, leases, retries) and, per
 * destination, where its steps go.
 */
export interface AmendDeps extends Omit<PublishDeps, 'destination' | 'sender' | 'pacer'> {
  readonly store: StoryStore;
  /** The platform port for a destination id; undefined when regwire has no such destination. */
  readonly targetFor: (destination: string) => AmendmentTarget | undefined;
  /**
   * The stories' shared pacing: each post an amendment makes (an update's channel reply and tweets, a
   * correction reply) takes a send of its destination's budget. Edits, deletes and pins take none. Absent:
   * no pacing, a 429 still pauses the queue and waits as told.
   */
  readonly pacer?: Pacer;
}

/**
 * Creates the processor of the amend queue. A job's payload is a publish payload whose destination is an
 * amendment's (`telegram~c1`: see `amendmentDestination`): the amendment's operation on that destination
 * runs as a publication of its own ({@link createPublishProcessor}, {@link PublicationRun}), with its own
 * per-part ledger, lease and retries, so each step lands exactly once whatever crashes in between, and a
 * crash between the Telegram edit and the X reply leaves each to its own job.
 */
export function createAmendProcessor(deps: AmendDeps): (job: Job, token?: string) => Promise<PublishResult> {
  return async (job, token) => {
    const parsed = publishPayloadSchema.safeParse(job.data);
    const name = parsed.success ? parseAmendmentDestination(parsed.data.destination) : undefined;
    if (!parsed.success || !name) throw new UnrecoverableError(`malformed amend job ${job.id}`);
    const record = await deps.store.get(parsed.data.storyId);
    const amendment = record?.amendments?.find((a) => a.id === name.amendmentId);
    const operation = amendment?.operations.find((o) => o.destination === name.destination);
    const target = deps.targetFor(name.destination);
    if (!operation || !target) {
      throw new UnrecoverableError(`no amendment ${parsed.data.destination} of story ${parsed.data.storyId}`);
    }
    // The run itself is not paced (its ledger is the operation's, `x~u1`): the sender takes each post's
    // send from the destination's budget instead.
    const { pacer, ...publishDeps } = deps;
    const pacing = pacer ? { pacer, destination: name.destination } : undefined;
    const process = createPublishProcessor({
      ...publishDeps,
      destination: parsed.data.destination,
      sender: amendmentPartSender(operation.steps, target, pacing),
    });
    return process(job, token);
  };
}
