import { type ConnectionOptions, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import type { RedisClient } from '../src/adapters/redis/redis-connection.js';
import { RedisIntakeStore } from '../src/adapters/redis/redis-intake-store.js';
import { bullPrefix } from '../src/adapters/redis/redis-keys.js';
import type { Config } from '../src/config/config.js';
import { FeedIntake, type FeedIntakeDeps, type PollReport } from '../src/intake/feed-intake.js';
import type { Logger } from '../src/util/logger.js';

/** The queue of feed polls: one job scheduler per configured source. */
export const INTAKE_QUEUE = 'intake';
/** Name of the one job on {@link INTAKE_QUEUE}: poll one source once. */
export const FEED_POLL_JOB = 'feed-poll';
/** Scheduler ids are `feed:<source id>`, so schedulers of sources no longer configured can be found. */
export const FEED_SCHEDULER_PREFIX = 'feed:';

/** Payload of a feed-poll job: the id of the source to poll (re-validated when it comes out of Redis). */
export const feedPollPayloadSchema = z
  .object({ sourceId: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/) })
  .strict();
/** Payload of a feed-poll job (see {@link feedPollPayloadSchema}). */
export type FeedPollPayload = z.infer<typeof feedPollPayloadSchema>;
/** Result of a feed-poll job, kept on the job for inspection: what the poll did ({@link PollReport}). */
export type FeedPollResult = PollReport;

/** What the feed-poll processor needs: the poll of one source (see {@link FeedIntake.poll}). */
export interface FeedPollDeps {
  readonly intake: { poll(sourceId: string): Promise<PollReport> };
  readonly logger: Logger;
}

/**
 * Creates the processor: re-validates the payload (a malformed one or an unknown job name fails as
 * unrecoverable), then polls the source once.
 */
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

/** Where and what {@link startFeedPolling} schedules. */
export interface FeedPollingOptions {
  readonly connection: ConnectionOptions;
  /** BullMQ key prefix of the intake queue (see `bullPrefix`). */
  readonly prefix: string;
  /** The sources to poll, each every `pollEveryMs` ms. */
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

/** What feed intake uses of the desk's services (see `src/app/desk-services.ts`). */
export interface FeedIntakeServices {
  readonly desk: FeedIntakeDeps['desk'];
  readonly store: FeedIntakeDeps['store'];
  /** The intake bus editors hear intake news on. */
  readonly intake: FeedIntakeDeps['events'];
}

/** Test and sandbox seams of {@link startIntake}. */
export interface StartIntakeOptions {
  /** Epoch ms; default `Date.now`. */
  readonly now?: () => number;
  /** Fetch implementation for feeds, pages and images; default the global fetch. */
  readonly fetchImpl?: typeof fetch;
  /** Fetches the links found in feed items (e.g. public addresses only); default `fetchImpl`. */
  readonly linkFetch?: typeof fetch;
}

/** Running feed intake: stop it on shutdown (in-flight polls finish; their fetches are aborted). */
export interface RunningIntake {
  readonly intake: FeedIntake;
  readonly polling: FeedPolling;
  close(): Promise<void>;
}

/**
 * Starts feed intake from `config.sources`: one BullMQ job scheduler per enabled source, polls drafting
 * through the desk and announcing on the intake bus. Without sources it only removes stale schedulers.
 */
export async function startIntake(
  config: Config,
  redis: RedisClient,
  services: FeedIntakeServices,
  logger: Logger,
  options: StartIntakeOptions = {},
): Promise<RunningIntake> {
  const abort = new AbortController();
  const intake = new FeedIntake({
    config: config.sources,
    desk: services.desk,
    store: services.store,
    state: new RedisIntakeStore(redis, config.queuePrefix),
    events: services.intake,
    logger,
    now: options.now ?? Date.now,
    signal: abort.signal,
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    ...(options.linkFetch ? { linkFetch: options.linkFetch } : {}),
  });
  const polling = await startFeedPolling(
    {
      connection: redis,
      prefix: bullPrefix(config.queuePrefix, INTAKE_QUEUE),
      sources: config.sources.sources,
    },
    { intake, logger },
  );
  if (config.sources.sources.length > 0) {
    logger.info(
      { sources: config.sources.sources.map((s) => `${s.id} (${s.mode})`) },
      'intake: polling feeds',
    );
  }
  return {
    intake,
    polling,
    async close() {
      abort.abort();
      await polling.close();
    },
  };
}
