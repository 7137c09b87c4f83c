import { type ConnectionOptions, Worker } from 'bullmq';
import { bullPrefix } from '../src/adapters/redis/redis-keys.js';
import { parseAmendmentDestination } from '../src/domain/amendment.js';
import { settleAbandoned } from './abandoned-publication.js';
import { AMEND_QUEUE, type AmendDeps, createAmendProcessor } from './amend.job.js';
import { RecordedFailure } from './publication-run.js';
import type { PublishPayload, PublishResult } from './publish.job.js';

/** Options of {@link startAmendWorker}: the processor's dependencies and the worker's. */
export interface AmendWorkerOptions extends Omit<AmendDeps, 'pauseDestination'> {
  readonly connection: ConnectionOptions;
  /** regwire's key prefix (the queue's BullMQ prefix is `bullPrefix(prefix, 'amend')`). */
  readonly prefix: string;
  /** A job's lock lives this long without renewal (a crashed worker's job is recovered after it). */
  readonly lockDurationMs?: number;
  /** How often the worker looks for jobs whose lock lapsed (a crashed worker's). Default 15 000 ms. */
  readonly stalledIntervalMs?: number;
}

/**
 * Starts the worker of the amend queue (corrections and retractions). A platform's 429 holds back the
 * whole queue (amendments are few); a job that ends without recording why is settled as failed and
 * the editors are told, as for publications.
 */
export function startAmendWorker(options: AmendWorkerOptions): Worker<PublishPayload, PublishResult> {
  const lockDurationMs = options.lockDurationMs ?? 30_000;
  let worker: Worker<PublishPayload, PublishResult> | undefined;
  const processor = createAmendProcessor({
    ...options,
    leaseMs: lockDurationMs,
    pauseDestination: async (ms) => {
      await worker?.rateLimit(ms);
    },
  });
  worker = new Worker<PublishPayload, PublishResult>(AMEND_QUEUE, processor, {
    connection: options.connection,
    prefix: bullPrefix(options.prefix, AMEND_QUEUE),
    concurrency: 2,
    lockDuration: lockDurationMs,
    stalledInterval: options.stalledIntervalMs ?? 15_000,
    removeOnComplete: { age: 30 * 24 * 3600 },
    removeOnFail: { age: 30 * 24 * 3600 },
    maxStalledCount: 10,
  });
  worker.on('failed', (job, err) => {
    options.logger.warn({ jobId: job?.id, err: err.message }, 'amend job failed');
    if (!job || err.name === 'LeaseLostError' || err instanceof RecordedFailure) return;
    if (!parseAmendmentDestination(job.data.destination)) return;
    settleAbandoned(options.store, options.alerts, {
      storyId: job.data.storyId,
      destination: job.data.destination,
      reason: err.message,
      at: options.now().toISOString(),
      from: ['publishing'],
    }).catch((e: Error) => options.logger.error({ err: e.message }, 'could not record a failed amendment'));
  });
  worker.on('error', (err) => options.logger.error({ err: err.message }, 'amend worker error'));
  return worker;
}
