import { type ConnectionOptions, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import type { PollReport } from '../src/intake/feed-intake.js';
import type { Logger } from '../src/util/logger.js';

/** The queue of feed polls: one job scheduler per configured source. */
export const INTAKE_QUEUE = 'intake';
export const FEED_POLL_JOB = 'feed-poll';
/** Scheduler ids are `feed:<source id>`, so schedulers of sources no longer configured can be found. */
export const FEED_SCHEDULER_PREFIX = 'feed:';

/** Payload of a feed-poll job. */
export const feedPollPayloadSchema = z
  .object({ sourceId: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/) })
  .strict();
export type FeedPollPayload = z.infer<typeof feedPollPayloadSchema>;
/** Result of a feed-poll job, kept on the job for inspection. */
export type FeedPollResult = PollReport;

export interface FeedPollDeps {
  readonly intake: { poll(sourceId: string): Promise<PollReport> };
  readonly logger: Logger;
}

/** Creates the processor: re-validates the payload, then polls the source once. */
export function createFeedPollProcessor(deps: FeedPollDeps) {
  return async function processFeedPoll(job: Job): Promise<FeedPollResult> {
    if (job.name !== FEED_POLL_JOB) throw new UnrecoverableError(`unknown intake job "${job.name}"`);
    const parsed = feedPollPayloadSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        `malformed feed-poll payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    return deps.intake.poll(parsed.data.sourceId);
  };
}

export interface FeedPollingOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly sources: readonly { readonly id: string; readonly pollEveryMs: number }[];
  /** Polls in parallel (different sources); the intake lock keeps drafting serial. Default 4. */
  readonly concurrency?: number;
}

/** The running poller: close it on shutdown. */
export interface FeedPolling {
  readonly queue: Queue;
  readonly worker: Worker | undefined;
  close(): Promise<void>;
}

/**
 * Upserts one job scheduler per source (`every: pollEveryMs`; the first poll runs at once), removes the
 * schedulers of sources no longer configured, and starts the worker (none when there is no source).
 */
export async function startFeedPolling(
  options: FeedPollingOptions,
  deps: FeedPollDeps,
): Promise<FeedPolling> {
  const queue = new Queue(INTAKE_QUEUE, { connection: options.connection, prefix: options.prefix });
  // Without a listener BullMQ prints the error with console.error, past the logger's secret scrubbing.
  queue.on('error', (err) => deps.logger.error({ err: err.message }, 'intake queue error'));
  const wanted = new Set(options.sources.map((s) => `${FEED_SCHEDULER_PREFIX}${s.id}`));
  for (const scheduler of await queue.getJobSchedulers()) {
    const key = scheduler.key;
    if (key.startsWith(FEED_SCHEDULER_PREFIX) && !wanted.has(key)) {
      await queue.removeJobScheduler(key);
      deps.logger.info({ scheduler: key }, 'intake: source no longer configured; polling stopped');
    }
  }
  for (const source of options.sources) {
    const data: FeedPollPayload = { sourceId: source.id };
    await queue.upsertJobScheduler(
      `${FEED_SCHEDULER_PREFIX}${source.id}`,
      { every: source.pollEveryMs },
      { name: FEED_POLL_JOB, data, opts: { removeOnComplete: 20, removeOnFail: 50 } },
    );
  }
  let worker: Worker | undefined;
  if (options.sources.length > 0) {
    worker = new Worker(INTAKE_QUEUE, createFeedPollProcessor(deps), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 4,
    });
    worker.on('error', (err) => deps.logger.error({ err: err.message }, 'intake worker error'));
    worker.on('failed', (job, err) =>
      deps.logger.error(
        { source: (job?.data as FeedPollPayload | undefined)?.sourceId, err: err.message },
        'intake: poll crashed',
      ),
    );
  }
  return {
    queue,
    worker,
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}
